"""Every URL the site and the admin expose, tried by people who have no business with
organisation A: B's compliance head, a learner of B, and a regulator whose jurisdiction A lies
outside of (R2). GET and POST each.

The URLs come from Django's resolver (Wagtail's admin, its API, every registered viewset,
snippet and bulk action, the site's own apps), not from a list: a view added later is swept
without anyone remembering to. Each pattern's arguments are filled with the ids of A's objects
(tests/sweep_world.py); a pattern the sweep cannot fill fails, saying how to teach it.

A response passes when it is not a server error, carries none of A's names (every one holds
MARKER, so any encoding or format shows it; spreadsheets are unzipped, and binary files are
refused outright), and a redirect is either to sign-in or the admin's refusal or leads, one step
on, to a page that passes too. After each person's GET and POST, nothing of A's may have
changed (a snapshot of A's rows).
"""

import io
import itertools
import re
import zipfile
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.resolvers import LocalePrefixPattern, RegexPattern, RoutePattern

from tests.sweep_world import MARKER, build_world

# --- the routes -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    route: str  # the pattern as written, e.g. "admin/staff/edit/<int:pk>/"
    name: str  # namespaced name ("wagtailsnippets_content_curriculum:edit"), or ""
    parts: tuple  # the pattern objects from the root down
    callback: object
    variant: tuple = ()  # one of several concrete forms of the pattern (bulk actions)

    @property
    def key(self) -> str:
        """The test's id: the pattern, and the variant if any."""
        return self.route + (f" [{'.'.join(self.variant)}]" if self.variant else "")


def _walk(patterns, parts=(), namespaces=()):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = (*namespaces, p.namespace) if p.namespace else namespaces
            yield from _walk(p.url_patterns, (*parts, p.pattern), ns)
        elif isinstance(p, URLPattern):
            all_parts = (*parts, p.pattern)
            route = "".join(str(x) for x in all_parts)
            name = ":".join((*namespaces, p.name)) if p.name else ""
            yield Route(route=route, name=name, parts=all_parts, callback=p.callback)


def all_routes() -> list[Route]:
    """Every reachable pattern once (a pattern shadowed by an identical earlier one is skipped:
    no request can reach it)."""
    seen, routes = set(), []
    for route in _walk(get_resolver().url_patterns):
        if route.route in seen:
            continue
        seen.add(route.route)
        if route.name == "wagtail_bulk_action":
            routes += [
                Route(route.route, route.name, route.parts, route.callback, variant)
                for variant in _bulk_actions()
            ]
            continue
        routes.append(route)
    return routes


def _bulk_actions() -> list[tuple]:
    """Every registered bulk action: (app label, model name, action)."""
    from wagtail.admin.views.bulk_action.registry import bulk_action_registry

    bulk_action_registry._scan_for_bulk_actions()
    return [
        (app_label, model_name, action)
        for app_label, models in sorted(bulk_action_registry.actions.items())
        for model_name, actions in sorted(models.items())
        for action in sorted(actions)
    ]


ROUTES = all_routes()

# --- what A's names may be shown to anyone ----------------------------------------------------

# Routes whose whole point is to show a stranger something of A's. Everything else must not.
PUBLIC_ROUTES = {
    "commitments:check": "public check of a signed commitment letter: anyone with the QR code's "
    "token sees the masked name, the letter's title, when, and whether the text hash matches",
    "certificates:verify": "public verification: anyone with the QR code's token sees the holder "
    "(masked) and the issuer",
    "verify:certificate": "the QR code's short address of the same verification page",
    "spotchecks:public_detail": "双随机、一公开: a committed campaign's draw record and, once closed, "
    "its results are published by law",
    "spotchecks:public_record": "the same draw record as JSON, for independent verification",
    "spotchecks:public_export": "the same published results as a spreadsheet",
    "spotchecks:public_list": "the list of published campaigns",
}

# Views that fail on purpose, whoever asks.
DELIBERATE_ERRORS = {
    "wagtailadmin_error_test": "Wagtail's page for testing error reporting (/admin/failwhale/) "
    "raises on purpose",
}

# --- filling a pattern's arguments with A's objects --------------------------------------------


class Unfillable(Exception):
    pass


def _a(key):
    return lambda w: w.objects[key].pk


# A keyword as it is spelled across many views.
GENERIC_KWARGS = {
    "page_id": _a("course"),
    "parent_page_id": _a("course"),
    "page_to_move_id": _a("course"),
    "page_pk": _a("course"),
    "destination_id": lambda w: w.course.get_parent().pk,
    "revision_id": _a("revision"),
    "revision_id_a": lambda w: "earliest",
    "revision_id_b": lambda w: "latest",
    "lesson_id": _a("lesson"),
    "enrolment_id": _a("enrolment"),
    "exam_id": _a("exam"),
    "attempt_id": _a("attempt"),
    "item_id": _a("attempt_item"),
    "bank_id": _a("bank"),
    "image_id": _a("image"),
    "document_id": _a("document"),
    "doc_id": _a("document"),
    "uploaded_file_id": _a("uploaded_file"),
    "collection_id": _a("collection"),
    "redirect_id": _a("redirect"),
    "workflow_pk": _a("workflow"),
    "workflow_state_id": _a("workflow_state"),
    "task_state_id": _a("task_state"),
    "task_id": _a("task"),
    "session_id": _a("editing_session"),
    "restriction_id": _a("restriction"),
    "page_view_restriction_id": _a("restriction"),
    "attachment_id": _a("attachment"),
    "action_name": lambda w: "approve",
    "filter_spec": lambda w: "original",
    "fmt": lambda w: "xlsx",
    "content_type_app_name": lambda w: "content",
    "content_type_model_name": lambda w: "coursepage",
    "app_name": lambda w: "content",
    "model_name": lambda w: "coursepage",
    "app_label": lambda w: "wagtailcore",
    "object_id": _a("course"),
    "staff_id": _a("staff"),
    "archive_id": _a("inspection_archive"),
    "uidb64": lambda w: _uidb64(w.objects["user"]),
    "uidb36": lambda w: _uidb36(w.objects["user"]),
    "token": lambda w: "set-password",
    "key": lambda w: "bogus-key",
    # allauth's SAML routes: an organisation slug no SAML provider answers to (404, not 500)
    "organization_slug": lambda w: "idp0",
}

# Per view (namespaced URL name) where a keyword names something particular.
ROUTE_KWARGS = {
    # A WeCom app's provider_id that names no app: the routes must answer 404, not 500.
    "wecom_login": {"provider_id": lambda w: "wecom-none"},
    "wecom_callback": {"provider_id": lambda w: "wecom-none"},
    "organisations:group_subsidiary": {"organisation_id": _a("organisation")},
    "wagtailadmin_pages:add": {
        "parent_page_id": _a("course"),
        "content_type_model_name": (lambda w: "lessonpage"),
    },
    "wagtailadmin_pages:preview_on_add": {"content_type_model_name": lambda w: "lessonpage"},
    "wagtailadmin_pages:workflow_preview": {"page_id": _a("lesson")},
    "wagtailadmin_pages:workflow_action": {"page_id": _a("lesson")},
    "wagtailadmin_pages:collect_workflow_action_data": {"page_id": _a("lesson")},
    "wagtailadmin_pages:confirm_workflow_cancellation": {"page_id": _a("lesson")},
    "wagtailadmin_pages:workflow_history_detail": {"page_id": _a("lesson")},
    "wagtailadmin_api:pages:detail": {"pk": _a("course")},
    "wagtailadmin_api:pages:action": {"pk": _a("course"), "action_name": lambda w: "unpublish"},
    "oversight:self_inspection_draft": {
        "organisation_id": _a("organisation"),
        "year": lambda w: w.objects["self_inspection"].year,
    },
    "oversight:self_inspection_submit": {
        "organisation_id": _a("organisation"),
        "year": lambda w: w.objects["self_inspection"].year,
    },
    "oversight:self_inspection_file": {
        "organisation_id": _a("organisation"),
        "year": lambda w: w.objects["self_inspection"].year,
    },
    "oversight:enterprise": {"organisation_id": _a("organisation")},
    "oversight:self_inspection_due_set": {
        "regulator_id": lambda w: w.r1.pk,
        "year": lambda w: w.objects["self_inspection"].year,
    },
    "oversight:risk_grade_confirm": {"organisation_id": _a("organisation")},
    "wagtailadmin_api:documents:detail": {"pk": _a("document")},
    "wagtailadmin_api:images:detail": {"pk": _a("image")},
    "wagtailadmin_pages:revisions_compare": {"pk": _a("course")},
    "wagtailadmin_workflows:enable": {"pk": _a("workflow")},
    "wagtailadmin_workflows:disable": {"pk": _a("workflow")},
    "wagtailadmin_workflows:edit": {"pk": _a("workflow")},
    "wagtailadmin_workflows:usage": {"pk": _a("workflow")},
    "wagtailadmin_workflows:usage_results": {"pk": _a("workflow")},
    "wagtailadmin_workflows:edit_task": {"pk": _a("task")},
    "wagtailadmin_workflows:enable_task": {"pk": _a("task")},
    "wagtailadmin_workflows:disable_task": {"pk": _a("task")},
    "records:violation": {"pk": _a("violation")},
    "duties:attachment": {"pk": _a("duty_entry"), "file_id": _a("duty_attachment")},
    "dispatch:meeting": {"pk": _a("dispatch_meeting")},
    "dispatch:meeting_edit": {"pk": _a("dispatch_meeting")},
    "dispatch:meeting_lock": {"pk": _a("dispatch_meeting")},
    "dispatch:attachment": {"pk": _a("dispatch_meeting"), "file_id": _a("dispatch_attachment")},
    "consultations:question": {"pk": _a("consultation")},
    "consultations:answer": {"pk": _a("consultation")},
    "consultations:publish": {"pk": _a("consultation")},
    "consultations:question_file": {
        "pk": _a("consultation"),
        "file_id": _a("consultation_attachment"),
    },
    "consultations:faq_withdraw": {"pk": _a("faq_entry")},
    "consultations:report": {"pk": _a("violation_report")},
    "consultations:report_close": {"pk": _a("violation_report")},
    "consultations:report_record": {"pk": _a("violation_report")},
    "consultations:report_file": {
        "pk": _a("violation_report"),
        "file_id": _a("violation_report_attachment"),
    },
    "appointments:decide": {"pk": _a("appointment")},
    "appointments:inspect": {"pk": _a("appointment")},
    "wagtailadmin_tag_model_autocomplete": {"model_name": lambda w: "coursepage"},
    "wagtailadmin_editing_sessions:ping": {
        "app_label": lambda w: "wagtailcore",
        "model_name": lambda w: "page",
    },
    "wagtailsettings:edit": {
        "app_name": lambda w: "wagtailcore",
        "model_name": lambda w: "site",
        "pk": lambda w: w.course.get_site().pk,
    },
    "wagtailsettings:preview_on_edit": {
        "app_name": lambda w: "wagtailcore",
        "model_name": lambda w: "site",
        "pk": lambda w: w.course.get_site().pk,
    },
    "wagtailadmin_workflows:add_task": {
        "app_label": lambda w: "wagtailcore",
        "model_name": lambda w: "groupapprovaltask",
    },
    "wagtailimages:preview": {"image_id": _a("image")},
    "wagtaildocs_authenticate_with_password": {"restriction_id": lambda w: 0},
    "wagtailcore_authenticate_with_password": {"page_id": _a("lesson")},
    "assessments_admin:bank_export": {"fmt": lambda w: "xlsx"},
    "roster:preview": {"token": lambda w: w.objects["roster_token"]},
    "roster:job": {"job_id": _a("roster_job")},
    "roster:job_progress": {"job_id": _a("roster_job")},
    "certificates_rerender:progress": {"job_id": _a("render_job")},
    "certificates:download": {"pk": _a("certificate")},
    "certificates:verify": {"token": lambda w: w.objects["certificate"].token},
    "verify:certificate": {"token": lambda w: w.objects["certificate"].token},
    "certificates_admin:revoke": {"pk": _a("certificate")},
    "commitments:letter": {"pk": _a("commitment_signature")},
    "dutylists:acknowledge": {"pk": _a("duty_acknowledgement")},
    "dutylists:edit": {"position_id": _a("duty_position")},
    "dutylists:add_courses": {"position_id": _a("duty_position")},
    "commitments:pdf": {"pk": _a("commitment_signature")},
    "commitments:progress": {"pk": _a("commitment_campaign")},
    "commitments:check": {"token": lambda w: w.objects["commitment_signature"].token},
    "spotchecks:rectification": {"pk": _a("rectification")},
    "spotchecks:rectification_attachment": {"pk": _a("rectification")},
    "spotchecks:enterprise_detail": {"pk": _a("drawn_enterprise")},
    "account_reset_password_from_key": {"key": lambda w: "set-password"},
    "api:enrolment": {"pk": _a("enrolment")},
    "api:result": {"pk": _a("attempt")},
    "api:certificate": {"pk": _a("certificate")},
    "api:appraisal": {"pk": _a("appraisal")},
    "api:ledger_entry": {"pk": _a("ledger_entry")},
    "integrations_admin:key_revoke": {"key_id": _a("api_key")},
    "integrations_admin:webhook": {"endpoint_id": _a("webhook_endpoint")},
    "integrations_admin:webhook_toggle": {"endpoint_id": _a("webhook_endpoint")},
    "integrations_admin:replay": {"delivery_id": _a("webhook_delivery")},
    "sso:start": {"idp_id": _a("identity_provider")},
    "sso_admin:edit": {"idp_id": _a("identity_provider")},
    "openid_connect_login": {"provider_id": lambda w: w.objects["identity_provider"].provider_id},
    "openid_connect_callback": {
        "provider_id": lambda w: w.objects["identity_provider"].provider_id
    },
}
for _name in (
    "campaign_detail",
    "campaign_edit",
    "campaign_commit",
    "campaign_draw",
    "campaign_start",
    "campaign_close",
    "campaign_progress",
    "campaign_export",
    "public_detail",
    "public_record",
    "public_export",
):
    ROUTE_KWARGS[f"spotchecks:{_name}"] = {"pk": _a("campaign")}

# Whole URLs for patterns written as bare regular expressions.
WHOLE_URLS = {
    "wagtail_serve": lambda w: [w.course.url, w.lesson.url],
    "wagtaildocs_serve": lambda w: [
        f"/documents/{w.objects['document'].pk}/{w.objects['document'].filename}"
    ],
    "admin/^.*/$": lambda w: ["/admin/no-such-view/"],
}


def _uidb64(user):
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    return urlsafe_base64_encode(force_bytes(user.pk))


def _uidb36(user):
    from django.utils.http import int_to_base36

    return int_to_base36(user.pk)


def _bulk_url(w, variant) -> str:
    """A bulk action on A's object of its model."""
    app_label, model_name, action = variant
    obj = _object_of_model_name(w, app_label, model_name)
    return f"/admin/bulk/{app_label}/{model_name}/{action}/?id={obj.pk}"


def _object_of_model_name(w, app_label, model_name):
    from django.apps import apps

    model = apps.get_model(app_label, model_name)
    obj = _object_of_model(w, model)
    if obj is None:
        raise Unfillable(
            f"the bulk actions of {app_label}.{model_name} need an object of A's: add one to "
            "tests/sweep_world.py's objects"
        )
    return obj


def _object_of_model(w, model):
    from wagtail.models import Page, Site

    if model is Site:
        return Site.objects.get(is_default_site=True)
    if issubclass(model, Page):
        return w.course
    for obj in w.objects.values():
        if isinstance(obj, model) and obj.pk is not None:
            return obj
    return None


def _view_model(callback):
    initkwargs = getattr(callback, "view_initkwargs", None) or {}
    model = initkwargs.get("model")
    if model is None:
        model = getattr(getattr(callback, "view_class", None), "model", None)
    if isinstance(model, str):
        from django.apps import apps

        model = apps.get_model(model)
    return model


def kwarg_value(world, route: Route, kwarg: str):
    special = ROUTE_KWARGS.get(route.name, {})
    if kwarg in special:
        return special[kwarg](world)
    if kwarg in ("pk", "id"):
        model = _view_model(route.callback)
        obj = _object_of_model(world, model) if model is not None else None
        if obj is not None:
            return obj.pk
    if kwarg in GENERIC_KWARGS:
        return GENERIC_KWARGS[kwarg](world)
    raise Unfillable(
        f"The sweep cannot fill <{kwarg}> in {route.route!r} (view {route.name or '(unnamed)'}). "
        f"Teach it: add {{'{kwarg}': <A's object>}} under ROUTE_KWARGS[{route.name!r}] in "
        "tests/test_cross_tenant_sweep.py (or GENERIC_KWARGS if the keyword means the same "
        "thing everywhere), creating the object in tests/sweep_world.py if A has none yet."
    )


_ROUTE_ARG = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<parameter>[^>]+)>")
_NAMED_GROUP = re.compile(r"\(\?P<(\w+)>[^()]*\)")


def _fill_part(world, route: Route, pattern) -> str:
    text = str(pattern)
    if isinstance(pattern, LocalePrefixPattern):
        return text
    if isinstance(pattern, RoutePattern):
        return _ROUTE_ARG.sub(lambda m: str(kwarg_value(world, route, m["parameter"])), text)
    if isinstance(pattern, RegexPattern):
        text = _NAMED_GROUP.sub(lambda m: str(kwarg_value(world, route, m[1])), text)
        if "(" in text:
            raise Unfillable(
                f"{route.route!r} has unnamed groups: add a whole URL for "
                f"{route.name or route.route!r} to WHOLE_URLS in tests/test_cross_tenant_sweep.py"
            )
        text = text.replace("^", "").replace("$", "")
        return re.sub(r"\\(.)", r"\1", text)
    raise Unfillable(f"{route.route!r}: unknown pattern type {type(pattern).__name__}")


def concrete_urls(world, route: Route) -> list[str]:
    if route.name == "wagtail_bulk_action":
        return [_bulk_url(world, route.variant)]
    for key in (route.name, route.route):
        if key and key in WHOLE_URLS:
            return WHOLE_URLS[key](world)
    url = "/" + "".join(_fill_part(world, route, part) for part in route.parts)
    match = resolve(urlsplit(url).path)
    if match.func is not route.callback and match.route != route.route:
        raise Unfillable(
            f"{url} was meant for {route.route!r} but resolves to {match.route!r}: fix its "
            "arguments in ROUTE_KWARGS"
        )
    return [url]


# --- the people and the checks ----------------------------------------------------------------

OUTSIDERS = {
    "B's compliance head": lambda w: w.head_b.user,
    "a learner of B": lambda w: w.learner_b.user,
    "regulator R2 (A outside its jurisdiction)": lambda w: w.officer_r2.user,
}

# A POST body with a plausible value for the fields of the forms that change things: a view
# that does not check whose object it was given would act on it.
PLAUSIBLE_POST = {
    "restriction_type": "password",
    "password": "Attack-2026!",
    "status": "left",
    "reason": "外部尝试",
    "comment": "外部尝试",
    "text": "外部尝试",
    "accept": "1",
    "decision": "approve",
    "score": "10",
    "points": "10",
    "include_descendants": "on",
    "external-link-chooser-url": "https://example.com/",
    "external-link-chooser-link_text": "外部",
    "action-publish": "action-publish",
}

_BINARY_STARTS = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"RIFF")
_MARK = MARKER.lower().encode()


def _body(response) -> bytes:
    if getattr(response, "streaming", False):
        # The test client's wrapper closes the response once it is read (a second close would
        # end the request again and close the test's database connection).
        return b"".join(response.streaming_content)
    return response.content


def leaks(body: bytes) -> str | None:
    """Why this body shows something of A's, or None."""
    if _MARK in body.lower():
        at = body.lower().index(_MARK)
        return "shows A's names: …" + body[max(0, at - 80) : at + 60].decode(errors="replace")
    if body.startswith(b"PK"):
        try:
            archive = zipfile.ZipFile(io.BytesIO(body))
        except zipfile.BadZipFile:
            return None
        for member in archive.namelist():
            if _MARK in archive.read(member).lower():
                return f"serves a spreadsheet/archive with A's names (in {member})"
        return None
    if body.startswith(_BINARY_STARTS):
        return "serves a binary file (an image or PDF) that cannot be checked for A's names"
    return None


def _is_refusal(location: str) -> bool:
    path = urlsplit(location).path
    return path in ("/admin/", "/accounts/login/", "/admin/login/") or path.startswith(
        "/accounts/login/"
    )


def check_response(client, response, *, public: bool, depth: int = 0) -> str | None:
    if response.status_code >= 500:
        return f"server error {response.status_code}"
    if 300 <= response.status_code < 400:
        location = response.get("Location", "")
        if _MARK in unquote(location).lower().encode():
            return f"redirects to an address naming A: {location}"
        if _is_refusal(location) or depth >= 2:
            return None
        followed = client.get(location)
        problem = check_response(client, followed, public=public, depth=depth + 1)
        return problem and f"redirects to {location}, which {problem}"
    if public:
        return None
    problem = leaks(_body(response))
    return problem and f"{response.status_code} {problem}"


def _api_key_problems(client, world, route: Route, urls) -> list[str]:
    """The HR API answers keys, not sessions: there the outsider is organisation B's key."""
    headers = {"HTTP_AUTHORIZATION": f"Bearer {world.objects['api_key_b_secret']}"}
    problems = []
    for url in urls:
        for method in ("GET", "POST"):
            if method == "GET":
                response = client.get(url, **headers)
            else:
                response = client.post(url, PLAUSIBLE_POST, **headers)
            problem = check_response(client, response, public=False)
            if problem:
                problems.append(f"B's API key {method} {url}: {problem}")
    return problems


# --- A's rows, before and after ---------------------------------------------------------------


def snapshot(w) -> dict:
    """Every row of A's that a request could change, as plain values."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.models import (
        Collection,
        GroupCollectionPermission,
        GroupPagePermission,
        Page,
        PageViewRestriction,
        Revision,
        Site,
        WorkflowState,
    )

    from assessments.models import (
        AnnualExamTemplate,
        Attempt,
        AttemptItem,
        Blueprint,
        Exam,
        ExamCandidate,
        Question,
        QuestionBank,
    )
    from assessments.spotchecks.models import Campaign, DrawnEnterprise, Rectification
    from certificates.models import Certificate, CertificateRule, CertificateTemplate
    from content.models import Curriculum
    from lms.integrations.models import ApiKey, WebhookDelivery, WebhookEndpoint
    from lms.learning.models import Enrolment, TrainingPlan
    from lms.notifications.models import Notification
    from lms.organisations.models import (
        Appointment,
        Department,
        Jurisdiction,
        Organisation,
        Position,
        RosterImportJob,
        Staff,
    )

    a = w.a
    pages = Page.objects.filter(path__startswith=w.course.path)
    a_users = get_user_model().objects.filter(memberships__organisation=a)
    querysets = {
        "organisation": Organisation.objects.filter(pk=a.pk),
        "jurisdiction": Jurisdiction.objects.filter(regulator=w.r1),
        "departments": Department.objects.filter(organisation=a),
        "positions": Position.objects.filter(organisation=a),
        "staff": Staff.objects.filter(organisation=a),
        "users": a_users.values("pk", "email", "full_name", "is_active", "password"),
        "user groups": a_users.values("pk", "groups"),
        "group permissions": Group.objects.values("pk", "name", "permissions"),
        "group page permissions": GroupPagePermission.objects.all(),
        "group collection permissions": GroupCollectionPermission.objects.all(),
        "appointments": Appointment.objects.filter(staff__organisation=a),
        "roster jobs": RosterImportJob.objects.filter(organisation=a),
        "pages": pages.values(
            "pk",
            "path",
            "depth",
            "title",
            "slug",
            "live",
            "locked",
            "locked_by",
            "has_unpublished_changes",
            "latest_revision",
            "live_revision",
            "alias_of",
            "expire_at",
            "go_live_at",
            "owner",
            "locale",
        ),
        "pages copied": Page.objects.filter(title__contains=MARKER).values("pk", "path"),
        "page revisions": Revision.objects.filter(
            object_id__in=[str(pk) for pk in pages.values_list("pk", flat=True)]
        ).values("pk", "approved_go_live_at"),
        "page privacy": PageViewRestriction.objects.filter(page__in=pages),
        "workflow states": WorkflowState.objects.values("pk", "status", "current_task_state"),
        "sites": Site.objects.values("pk", "root_page", "hostname", "is_default_site"),
        "collections": Collection.objects.values("pk", "path", "name"),
        "images": get_image_model()
        .objects.filter(title__contains=MARKER)
        .values("pk", "title", "collection", "file"),
        "documents": get_document_model()
        .objects.filter(title__contains=MARKER)
        .values("pk", "title", "collection", "file"),
        "curricula": Curriculum.objects.filter(owner_organisation=a),
        "training plans": TrainingPlan.objects.filter(organisation=a),
        "enrolments": Enrolment.objects.filter(staff__organisation=a),
        "notifications": Notification.objects.filter(user__in=a_users),
        "banks": QuestionBank.objects.filter(organisation=a),
        "questions": Question.objects.filter(bank__organisation=a),
        "blueprints": Blueprint.objects.filter(bank__organisation=a),
        "exams": Exam.objects.filter(organisation=a),
        "candidates": ExamCandidate.objects.filter(exam__organisation=a),
        "attempts": Attempt.objects.filter(exam__organisation=a),
        "attempt items": AttemptItem.objects.filter(attempt__exam__organisation=a),
        "annual template": AnnualExamTemplate.objects.filter(organisation=a),
        "certificate templates": CertificateTemplate.objects.filter(issuing_organisation=a),
        "certificate rules": CertificateRule.objects.filter(template__issuing_organisation=a),
        "certificates": Certificate.objects.filter(holder__in=a_users),
        "campaigns": Campaign.objects.filter(regulator=w.r1),
        "drawn": DrawnEnterprise.objects.filter(enterprise=a),
        "rectifications": Rectification.objects.filter(drawn_enterprise__enterprise=a),
        "api keys": ApiKey.objects.filter(organisation=a),
        "webhooks": WebhookEndpoint.objects.filter(organisation=a),
        "webhook deliveries": WebhookDelivery.objects.filter(endpoint__organisation=a),
    }
    state = {}
    for label, qs in querysets.items():
        rows = qs if hasattr(qs, "_fields") and qs._fields else qs.values()
        state[label] = sorted(repr(sorted(row.items())) for row in rows)
    return state


def difference(before: dict, after: dict) -> str:
    changed = []
    for label in before:
        if before[label] != after[label]:
            gone = set(before[label]) - set(after[label])
            new = set(after[label]) - set(before[label])
            changed.append(f"{label}: was {sorted(gone)[:2]} now {sorted(new)[:2]}")
    return "; ".join(changed)


# --- the world, once for the module -----------------------------------------------------------


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once inside a transaction that is rolled back after the module; each test runs in
    a savepoint of it (pytest-django's `db`), so whatever a request changes is undone."""
    from lms.organisations.roster import uploads

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        w = None
        try:
            w = build_world()
            w.baseline = snapshot(w)
            yield w
        finally:
            if w is not None:
                uploads.upload_discard(token=w.objects["roster_token"])
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.mark.django_db
@pytest.mark.parametrize("route", ROUTES, ids=[r.key for r in ROUTES])
def test_no_outsider_sees_or_changes_anything_of_another_organisation(world, client, route):
    try:
        urls = concrete_urls(world, route)
    except Unfillable as exc:
        pytest.fail(str(exc), pytrace=False)
    public = route.name in PUBLIC_ROUTES
    # A view that fails on purpose answers 500 instead of raising into the test.
    client.raise_request_exception = route.name not in DELIBERATE_ERRORS
    problems = []
    for (who, user_of), url in itertools.product(OUTSIDERS.items(), urls):
        client.force_login(user_of(world))
        query = "&" if "?" in url else "?"
        gets = [url]
        if any(word in route.route for word in ("search", "choose", "autocomplete", "api/")):
            gets.append(f"{url}{query}q=zqx")
        for method, target in [("GET", u) for u in gets] + [("POST", url)]:
            if method == "GET":
                response = client.get(target)
            else:
                response = client.post(target, PLAUSIBLE_POST)
            if route.name in DELIBERATE_ERRORS and response.status_code == 500:
                continue
            problem = check_response(client, response, public=public)
            if problem:
                problems.append(f"{who} {method} {target}: {problem}")
        client.logout()
    if route.route.startswith("api/"):
        problems += _api_key_problems(client, world, route, urls)
    changed = difference(world.baseline, snapshot(world))
    if changed:
        problems.append(f"an outsider changed A's data through {', '.join(urls)}: {changed}")
    assert not problems, "\n".join(problems)


def test_the_sweep_covers_the_whole_site():
    """The resolver is the list: the admin, Wagtail's API and the site's apps are all in it."""
    routes = {r.route for r in ROUTES}
    for expected in (
        "admin/pages/<int:page_id>/unpublish/",
        "admin/api/main/^pages/",
        "admin/staff/edit/<int:pk>/",
        "admin/snippets/content/curriculum/edit/<int:pk>/",
        "exams/attempts/<int:attempt_id>/",
        "spotchecks/<int:pk>/",
        "certificates/<int:pk>/pdf/",
        "api/v1/results/<int:pk>/",
    ):
        assert expected in routes
    names = {r.name for r in ROUTES}
    assert not set(PUBLIC_ROUTES) - names, "a public route names a view the site no longer has"
    assert not set(DELIBERATE_ERRORS) - names
