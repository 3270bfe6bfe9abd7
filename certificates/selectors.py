"""Reads, already scoped to what the caller may see."""

from datetime import timedelta

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from lms.organisations.access import access_for
from lms.organisations.models import Organisation, Staff

from .models import Certificate, CertificateRule, CertificateTemplate, RenderJob

EXPIRY_REMINDER_DAYS = 30


def certificates_of(user) -> QuerySet[Certificate]:
    """A person's own certificates, newest first (我的证书)."""
    if not user.is_authenticated:
        return Certificate.objects.none()
    return Certificate.objects.filter(holder=user).select_related("organisation")


def certificate_of_holder(*, user, pk: int) -> Certificate | None:
    return certificates_of(user).filter(pk=pk).first()


def certificate_for_verification(*, token: str) -> Certificate | None:
    """Public: one query, only what the verification page shows."""
    return (
        Certificate.objects.select_related("organisation")
        .only(*_PUBLIC_FIELDS)
        .filter(token=token)
        .first()
    )


def certificate_by_serial(*, serial: str) -> Certificate | None:
    return (
        Certificate.objects.select_related("organisation")
        .only(*_PUBLIC_FIELDS)
        .filter(serial=serial)
        .first()
    )


_PUBLIC_FIELDS = (
    "serial",
    "holder_name",
    "kind",
    "title",
    "issued_on",
    "expires_on",
    "status",
    "revoked_at",
    "organisation__name",
)


def _issuer_org_ids(access) -> set[int]:
    return set(access.admin_org_ids) | set(access.regulator_ids)


def _holder_on_issuers_roster() -> Exists:
    """The holder is (or was) on the roster of the organisation that issued the certificate:
    an enterprise issues certificates to its own people only."""
    return Exists(
        Staff.objects.filter(
            user_id=OuterRef("holder_id"), organisation_id=OuterRef("organisation_id")
        )
    )


def certificates_manageable_by(user) -> QuerySet[Certificate]:
    """Certificates an administrator may list and re-render: those held by people on their
    roster (past or present, whoever issued them) and, for a regulator, those it issued (spot-
    check passes). A certificate an enterprise issued to someone never on its roster is not
    its to manage (see `certificates_issued_in_error`)."""
    access = access_for(user)
    qs = Certificate.objects.select_related("organisation", "holder", "template")
    if access.is_platform_admin:
        return qs
    roster_users = Staff.objects.filter(
        Q(organisation_id__in=access.admin_org_ids)
        | Q(department_id__in=access.admin_department_ids)
    ).values("user_id")
    return qs.filter(Q(organisation_id__in=access.regulator_ids) | Q(holder_id__in=roster_users))


def certificates_revocable_by(user) -> QuerySet[Certificate]:
    """The issuing organisation's compliance head (or CCO) revokes the certificates it issued
    to its own people; for a regulator's own (spot-check passes), its officers, who answer for
    it as a head does."""
    access = access_for(user)
    if access.is_platform_admin:
        return Certificate.objects.all()
    return Certificate.objects.alias(holder_on_roster=_holder_on_issuers_roster()).filter(
        Q(organisation_id__in=access.head_org_ids, holder_on_roster=True)
        | Q(organisation_id__in=access.regulator_ids)
    )


def certificates_issued_in_error() -> QuerySet[Certificate]:
    """Course-completion certificates, still standing, that an organisation issued to someone
    who completed the course for another organisation (before rules were matched by the
    holder's organisation): `manage.py revoke_certificates_issued_in_error` revokes them."""
    from django.contrib.contenttypes.models import ContentType

    from lms.learning.models import Enrolment

    enrolment = Enrolment.objects.filter(pk=OuterRef("source_id"))
    return (
        Certificate.objects.filter(
            kind=Certificate.Kind.COURSE_COMPLETION,
            source_type=ContentType.objects.get_for_model(Enrolment),
        )
        .exclude(status=Certificate.Status.REVOKED)
        .annotate(
            holder_organisation_id=Subquery(enrolment.values("staff__organisation_id")),
            holder_organisation_name=Subquery(enrolment.values("staff__organisation__name")),
        )
        .exclude(organisation_id=F("holder_organisation_id"))
        .select_related("organisation", "holder")
        .order_by("pk")
    )


def templates_manageable_by(user) -> QuerySet[CertificateTemplate]:
    access = access_for(user)
    qs = CertificateTemplate.objects.select_related("issuing_organisation", "seal")
    if access.is_platform_admin:
        return qs
    return qs.filter(issuing_organisation_id__in=_issuer_org_ids(access))


def templates_of_certificates_manageable_by(user) -> QuerySet[CertificateTemplate]:
    """The templates of the certificates the user may list (the list's template filter)."""
    return CertificateTemplate.objects.filter(
        pk__in=certificates_manageable_by(user).values("template_id")
    ).select_related("issuing_organisation")


def issuing_organisations_for(user) -> QuerySet[Organisation]:
    access = access_for(user)
    if access.is_platform_admin:
        return Organisation.objects.all()
    return Organisation.objects.filter(pk__in=_issuer_org_ids(access))


def rule_course_choices(user) -> QuerySet:
    """Courses a certificate rule may name: those the user may use (platform-wide courses and
    their organisations' own), as pages."""
    from wagtail.models import Page

    from content.selectors import courses_visible_to

    return Page.objects.filter(pk__in=courses_visible_to(user=user).values("pk"))


def seal_choices_for(user) -> QuerySet:
    """Images a template may use as its seal: none that is another organisation's seal (an image
    some template the user may not manage already uses)."""
    from wagtail.images import get_image_model

    others = CertificateTemplate.objects.exclude(
        pk__in=templates_manageable_by(user).values("pk")
    ).filter(seal__isnull=False)
    return get_image_model().objects.exclude(pk__in=others.values("seal_id"))


def rules_manageable_by(user) -> QuerySet[CertificateRule]:
    return CertificateRule.objects.select_related(
        "template__issuing_organisation", "course"
    ).filter(template__in=templates_manageable_by(user))


def template_for_course(*, course_page_id: int, organisation_id: int) -> CertificateTemplate | None:
    """The template of the organisation's own rule for the course (that of the organisation the
    person completed it for): each organisation issues its own people's certificates, and
    without a rule of its own nobody's certificate is issued."""
    rule = (
        CertificateRule.objects.select_related("template")
        .filter(course_id=course_page_id, template__issuing_organisation_id=organisation_id)
        .first()
    )
    return rule.template if rule else None


def template_for_exam(*, exam_kind: str, organisation_id: int) -> CertificateTemplate | None:
    rule = (
        CertificateRule.objects.select_related("template")
        .filter(exam_kind=exam_kind, template__issuing_organisation_id=organisation_id)
        .first()
    )
    return rule.template if rule else None


def certificate_for_source(*, source_type_id: int, source_id: int) -> Certificate | None:
    return Certificate.objects.filter(source_type_id=source_type_id, source_id=source_id).first()


def certificates_due_for_reminder(*, today=None) -> QuerySet[Certificate]:
    today = today or timezone.localdate()
    return Certificate.objects.filter(
        status=Certificate.Status.VALID,
        expires_on__gte=today,
        expires_on__lte=today + timedelta(days=EXPIRY_REMINDER_DAYS),
        expiry_reminded_at__isnull=True,
    ).select_related("holder")


def certificates_past_expiry(*, today=None) -> QuerySet[Certificate]:
    today = today or timezone.localdate()
    return Certificate.objects.filter(status=Certificate.Status.VALID, expires_on__lt=today)


def render_jobs_of(user) -> QuerySet[RenderJob]:
    return RenderJob.objects.filter(requested_by=user)


def render_job_progress(*, job: RenderJob) -> dict:
    done = Certificate.objects.filter(
        pk__in=job.certificate_ids, pdf_rendered_at__gte=job.started_at
    ).count()
    total = job.total
    return {
        "done": done,
        "total": total,
        "percent": 100 if not total else round(100 * done / total),
        "finished": done >= total,
    }


def certificates_issued_all() -> QuerySet[Certificate]:
    """Every issued certificate (revoked ones too), oldest first, for the records backfill."""
    return Certificate.objects.exclude(serial=None).select_related("holder").order_by("pk")


def certificates_of_organisation(*, organisation_id: int) -> QuerySet[Certificate]:
    """Certificates the organisation issued to people on its roster, for its HR system
    (lms.integrations). `changed_at`: the latest of issue and revocation (certificates keep no
    other change time; expiry and supersession are read from `status`, not dated here)."""
    return (
        Certificate.objects.filter(
            organisation_id=organisation_id,
            holder__memberships__organisation_id=organisation_id,
        )
        .annotate(
            changed_at=Greatest("created_at", Coalesce("revoked_at", "created_at")),
            employee_number=F("holder__memberships__employee_number"),
            person_email=F("holder__email"),
        )
        .order_by("pk")
    )


def certificates_held_at(*, user_ids, organisation_id: int) -> QuerySet[Certificate]:
    """The certificates these people hold from an organisation (the compliance file: the caller
    checked who may read), oldest first."""
    return Certificate.objects.filter(
        holder_id__in=user_ids, organisation_id=organisation_id
    ).order_by("holder_id", "issued_on", "pk")
