"""合规咨询 and 举报 pages. Thin: parse, call one service or selectors, render. Whatever is out
of the reader's scope is a 404, so nobody learns that a question or report exists."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lms.params import whole_number

from . import selectors, services


def _member_or_404(request):
    memberships = selectors.asking_memberships_of(request.user)
    if not memberships:
        raise Http404
    return memberships


def _chosen_org(request, memberships):
    chosen = request.POST.get("organisation") or request.GET.get("org")
    if not chosen:
        return memberships[0].organisation
    org = next(
        (m.organisation for m in memberships if m.organisation_id == whole_number(chosen)), None
    )
    if org is None:
        raise Http404
    return org


# --- asides on content pages (registered in apps.py through content.extensions) -----------------


def lesson_aside(request, page) -> dict | None:
    user = getattr(request, "user", None)
    if user is None or not selectors.may_consult(user):
        return None
    url = reverse("consultations:ask") + "?" + urlencode({"lesson": page.pk})
    return {"template": "consultations/includes/lesson_aside.html", "ask_url": url}


def course_aside(request, page) -> dict | None:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    entries = selectors.faq_for_course(user, course_id=page.pk)
    if not entries:
        return None
    return {"template": "consultations/includes/course_faq.html", "entries": entries}


# --- questions ----------------------------------------------------------------------------------


@login_required
def home(request):
    _member_or_404(request)
    answerable = (
        selectors.questions_answerable_by(request.user)
        if selectors.may_answer(request.user)
        else None
    )
    return render(
        request,
        "consultations/home.html",
        {
            "mine": selectors.questions_asked_by(request.user)[:100],
            "to_answer": answerable.filter(status="open")[:100] if answerable is not None else None,
            "answered": answerable.filter(status="answered")[:50]
            if answerable is not None
            else None,
            "may_read_reports": selectors.may_read_reports(request.user),
            "settings_orgs": selectors.settings_organisations_for(request.user),
        },
    )


@login_required
def ask(request):
    memberships = _member_or_404(request)
    organisation = _chosen_org(request, memberships)
    lesson_param = request.POST.get("lesson") or request.GET.get("lesson")
    lesson_id = whole_number(lesson_param) if lesson_param else None
    if lesson_param and lesson_id is None:
        raise Http404
    found = None
    if lesson_id is not None:
        from content.selectors import lesson_and_course_for

        found = lesson_and_course_for(user=request.user, lesson_id=lesson_id)
        if found is None:
            raise Http404
    errors: dict = {}
    if request.method == "POST":
        try:
            question = services.question_ask(
                actor=request.user,
                organisation_id=organisation.pk,
                text=request.POST.get("text", ""),
                lesson_id=lesson_id,
                files=request.FILES.getlist("files"),
            )
        except PermissionDenied as exc:
            raise Http404 from exc
        except ValidationError as exc:
            errors = exc.message_dict
        else:
            messages.success(request, _("Your question was sent to the compliance department."))
            return redirect("consultations:question", pk=question.pk)
    return render(
        request,
        "consultations/ask.html",
        {
            "organisation": organisation,
            "organisations": [m.organisation for m in memberships],
            "lesson": found[0] if found else None,
            "course": found[1] if found else None,
            "errors": errors,
            "data": request.POST,
        },
        status=400 if errors else 200,
    )


def _question_or_404(request, pk):
    question = selectors.questions_visible_to(request.user).filter(pk=pk).first()
    if question is None:
        raise Http404
    return question


@login_required
def question(request, pk: int, errors=None, status=200):
    question = _question_or_404(request, pk)
    may_answer = (
        question.status == "open"
        and selectors.questions_answerable_by(request.user).filter(pk=pk).exists()
    )
    clause_query = request.GET.get("clause_q", "").strip()[:100]
    found_clauses = []
    if may_answer and clause_query:
        from content.selectors import clause_search

        found_clauses = clause_search(query=clause_query)
    from lms.organisations.access import access_for

    return render(
        request,
        "consultations/question.html",
        {
            "question": question,
            "may_answer": may_answer,
            "may_publish": question.status == "answered"
            and question.organisation_id in access_for(request.user).head_org_ids
            and not hasattr(question, "faq_entry"),
            "clause_query": clause_query,
            "found_clauses": found_clauses,
            "errors": errors or {},
            "data": request.POST,
        },
        status=status,
    )


@login_required
@require_POST
def answer(request, pk: int):
    clause_ids = [whole_number(v) for v in request.POST.getlist("clauses")]
    if None in clause_ids:
        raise Http404
    try:
        services.question_answer(
            actor=request.user,
            question_id=pk,
            answer=request.POST.get("answer", ""),
            clause_ids=clause_ids,
        )
    except PermissionDenied as exc:
        raise Http404 from exc
    except ValidationError as exc:
        return question(request, pk, errors=exc.message_dict, status=400)
    messages.success(request, _("The answer was sent."))
    return redirect("consultations:question", pk=pk)


@login_required
@require_POST
def publish(request, pk: int):
    try:
        services.faq_publish(
            actor=request.user,
            question_id=pk,
            question_text=request.POST.get("question", ""),
            answer_text=request.POST.get("answer", ""),
        )
    except PermissionDenied as exc:
        raise Http404 from exc
    messages.success(request, _("The answer is published in the FAQ."))
    return redirect("consultations:faq")


@login_required
def question_file(request, pk: int, file_id: int):
    attachment = selectors.question_attachment_visible_to(
        request.user, question_id=pk, attachment_id=file_id
    )
    if attachment is None:
        raise Http404
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name)


# --- FAQ and settings ---------------------------------------------------------------------------


@login_required
def faq(request):
    _member_or_404(request)
    query = request.GET.get("q", "").strip()[:100]
    from lms.organisations.access import access_for

    return render(
        request,
        "consultations/faq.html",
        {
            "query": query,
            "entries": selectors.faq_search(request.user, query=query)[:100],
            "head_org_ids": access_for(request.user).head_org_ids,
        },
    )


@login_required
@require_POST
def faq_withdraw(request, pk: int):
    try:
        services.faq_withdraw(actor=request.user, entry_id=pk)
    except PermissionDenied as exc:
        raise Http404 from exc
    messages.success(request, _("The entry was withdrawn from the FAQ."))
    return redirect("consultations:faq")


@login_required
def settings_view(request):
    organisations = selectors.settings_organisations_for(request.user)
    if not organisations:
        raise Http404
    organisation = _chosen_org(
        request,
        [
            m
            for m in selectors.asking_memberships_of(request.user)
            if m.organisation in organisations
        ],
    )
    errors: dict = {}
    if request.method == "POST":
        try:
            services.settings_save(
                actor=request.user,
                organisation_id=organisation.pk,
                reminder_working_days=whole_number(request.POST.get("reminder_working_days")),
            )
        except PermissionDenied as exc:
            raise Http404 from exc
        except ValidationError as exc:
            errors = exc.message_dict
        else:
            messages.success(request, _("The settings were saved."))
            return redirect("consultations:home")
    return render(
        request,
        "consultations/settings.html",
        {
            "organisation": organisation,
            "organisations": organisations,
            "days": selectors.reminder_working_days(organisation.pk),
            "errors": errors,
        },
        status=400 if errors else 200,
    )


# --- reports ------------------------------------------------------------------------------------


@login_required
def report_new(request):
    memberships = _member_or_404(request)
    organisation = _chosen_org(request, memberships)
    errors: dict = {}
    if request.method == "POST":
        try:
            services.report_submit(
                actor=request.user,
                organisation_id=organisation.pk,
                subject=request.POST.get("subject", ""),
                description=request.POST.get("description", ""),
                anonymous=request.POST.get("anonymous") == "on",
                files=request.FILES.getlist("files"),
            )
        except ValidationError as exc:
            errors = exc.message_dict
        else:
            messages.success(
                request,
                _("Your report was sent to the compliance head and the CCO, and only to them."),
            )
            return redirect("consultations:home")
    return render(
        request,
        "consultations/report_new.html",
        {
            "organisation": organisation,
            "organisations": [m.organisation for m in memberships],
            "errors": errors,
            "data": request.POST,
        },
        status=400 if errors else 200,
    )


@login_required
def reports(request):
    if not selectors.may_read_reports(request.user):
        raise Http404
    return render(
        request,
        "consultations/reports.html",
        {"reports": selectors.reports_visible_to(request.user)[:200]},
    )


def _report_or_404(request, pk):
    report = selectors.reports_visible_to(request.user).filter(pk=pk).first()
    if report is None:
        raise Http404
    return report


@login_required
def report(request, pk: int, errors=None, status=200):
    report = _report_or_404(request, pk)
    from lms.organisations.selectors import staff_changeable_by
    from lms.records.kinds import Severity

    return render(
        request,
        "consultations/report.html",
        {
            "report": report,
            "people": staff_changeable_by(request.user)
            .filter(organisation_id=report.organisation_id)
            .order_by("user__full_name")
            if report.status == "received"
            else [],
            "severities": Severity.choices,
            "today": timezone.localdate().isoformat(),
            "errors": errors or {},
            "data": request.POST,
        },
        status=status,
    )


@login_required
@require_POST
def report_close(request, pk: int):
    try:
        services.report_close(
            actor=request.user, report_id=pk, outcome=request.POST.get("outcome", "")
        )
    except PermissionDenied as exc:
        raise Http404 from exc
    except ValidationError as exc:
        return report(request, pk, errors=exc.message_dict, status=400)
    messages.success(request, _("The report was closed."))
    return redirect("consultations:reports")


def _date(value) -> date | None:
    try:
        return date.fromisoformat(value or "")
    except ValueError:
        return None


@login_required
@require_POST
def report_record(request, pk: int):
    from lms.organisations.selectors import staff_changeable_by

    _report_or_404(request, pk)
    staff = (
        staff_changeable_by(request.user).filter(pk=whole_number(request.POST.get("staff"))).first()
    )
    occurred_on = _date(request.POST.get("occurred_on"))
    if staff is None or occurred_on is None:
        return report(
            request,
            pk,
            errors={"staff": [_("Choose the person concerned and the date of the violation.")]},
            status=400,
        )
    try:
        services.report_record_violation(
            actor=request.user,
            report_id=pk,
            staff=staff,
            occurred_on=occurred_on,
            nature=request.POST.get("nature", ""),
            severity=request.POST.get("severity", ""),
            description=request.POST.get("description", ""),
        )
    except PermissionDenied as exc:
        raise Http404 from exc
    except ValidationError as exc:
        return report(request, pk, errors=exc.message_dict, status=400)
    messages.success(request, _("The violation was recorded."))
    return redirect("consultations:report", pk=pk)


@login_required
def report_file(request, pk: int, file_id: int):
    attachment = selectors.report_attachment_visible_to(
        request.user, report_id=pk, attachment_id=file_id
    )
    if attachment is None:
        raise Http404
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name)
