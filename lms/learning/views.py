"""Learner and administrator pages. Thin: parse, call one service or selectors, render."""

from io import BytesIO

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from content.models import LessonPage
from lms.organisations.access import access_for
from lms.params import chosen_or_first
from lms.spreadsheets import safe_text

from . import selectors, services
from .forms import ManualAssignmentForm, WaiverForm


@login_required
def my_learning(request):
    today = timezone.localdate()
    enrolments = list(selectors.enrolments_of(user=request.user, today=today))
    return render(
        request,
        "learning/my_learning.html",
        {"enrolments": enrolments, "today": today},
    )


@login_required
@require_POST
def lesson_complete(request, lesson_id: int):
    lesson = get_object_or_404(LessonPage.objects.live(), pk=lesson_id)
    try:
        services.lesson_complete(
            user=request.user, lesson=lesson, opened_token=request.POST.get("opened", "")
        )
    except PermissionDenied as exc:
        raise Http404 from exc
    except (services.LessonNotReady, services.LessonAlreadyCompleted) as exc:
        messages.warning(request, str(exc))
        return redirect(lesson.url)
    messages.success(request, _("Lesson completed."))
    course = lesson.get_parent().specific
    next_lesson = (
        LessonPage.objects.live().child_of(course).filter(path__gt=lesson.path).order_by("path")
    ).first()
    return redirect(next_lesson.url if next_lesson else course.url)


def _dashboard_organisation(request):
    if not access_for(request.user).is_admin:
        raise PermissionDenied
    organisations = selectors.dashboard_organisations_for(request.user)
    return chosen_or_first(organisations, request.GET.get("org")), organisations


@login_required
def dashboard(request):
    organisation, organisations = _dashboard_organisation(request)
    context = {"organisation": organisation, "organisations": organisations}
    if organisation is not None:
        today = timezone.localdate()
        args = {"user": request.user, "organisation": organisation, "today": today}
        context.update(
            by_department=selectors.completion_by_department(**args),
            by_position=selectors.completion_by_position(**args),
            overdue=list(selectors.overdue_enrolments(**args)[:200]),
            recent=list(selectors.recent_completions(user=request.user, organisation=organisation)),
            plans=[
                {"plan": plan, "rows": selectors.plan_progress(plan=plan, today=today)}
                for plan in selectors.training_plans_of(
                    user=request.user, organisation=organisation
                )
            ],
        )
    return render(request, "learning/dashboard.html", context)


@login_required
def dashboard_export(request):
    from openpyxl import Workbook

    organisation, _organisations = _dashboard_organisation(request)
    if organisation is None:
        raise Http404
    today = timezone.localdate()
    args = {"user": request.user, "organisation": organisation, "today": today}
    workbook = Workbook()
    headings = [_("Total"), _("Completed"), _("Overdue"), _("Completion (%)")]
    for index, (title, label, rows) in enumerate(
        [
            (_("By department"), _("Department"), selectors.completion_by_department(**args)),
            (_("By position"), _("Position"), selectors.completion_by_position(**args)),
        ]
    ):
        sheet = workbook.active if index == 0 else workbook.create_sheet()
        sheet.title = title
        sheet.append([label, *headings])
        for row in rows:
            sheet.append(
                [
                    safe_text(row["name"] or "—"),
                    row["total"],
                    row["completed"],
                    row["overdue"],
                    row["rate"],
                ]
            )
    sheet = workbook.create_sheet(_("Overdue"))
    sheet.append(
        [
            pgettext("person", "Name"),
            _("Employee number"),
            _("Department"),
            _("Position"),
            _("Course"),
            _("Due on"),
        ]
    )
    for e in selectors.overdue_enrolments(**args):
        sheet.append(
            [
                safe_text(e.user.full_name or e.user.email),
                safe_text(e.staff.employee_number),
                safe_text(e.staff.department.name if e.staff.department_id else ""),
                safe_text(e.staff.position.name if e.staff.position_id else ""),
                safe_text(e.course.title),
                e.due_on,
            ]
        )
    buffer = BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    filename = f"training-{organisation.pk}-{today.isoformat()}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def assign(request):
    if not access_for(request.user).is_admin:
        raise PermissionDenied
    form = ManualAssignmentForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.enrolment_assign_manual(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The course was assigned."))
            return redirect("learning:dashboard")
    return render(request, "learning/assign.html", {"form": form})


@login_required
def waive(request, enrolment_id: int):
    enrolment = get_object_or_404(selectors.enrolments_manageable_by(request.user), pk=enrolment_id)
    form = WaiverForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.enrolment_waive(
                enrolment=enrolment, reason=form.cleaned_data["reason"], actor=request.user
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The course was waived for this person."))
            return redirect("learning:dashboard")
    return render(request, "learning/waive.html", {"form": form, "enrolment": enrolment})


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)
