"""履职记录 pages: the log and its form for compliance staff, the monthly and quarterly summary
for the head and CCO. Thin: parse, call one service or selectors, render."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.params import chosen_or_first, whole_number
from lms.word import docx_response

from . import periods, selectors, services
from .export import summary_document, summary_workbook
from .models import DutyType


def _may_summarise(user):
    return selectors.summary_organisations_for(user).exists()


@login_required
def entries(request):
    memberships = selectors.duty_memberships_of(request.user)
    if not memberships and not _may_summarise(request.user):
        raise Http404
    return render(
        request,
        "duties/entries.html",
        {
            "entries": selectors.entries_visible_to(request.user)[:200],
            "may_record": bool(memberships),
            "may_summarise": _may_summarise(request.user),
        },
    )


def _date(value) -> date | None:
    try:
        return date.fromisoformat(value or "")
    except ValueError:
        return None


@login_required
def entry_new(request):
    memberships = selectors.duty_memberships_of(request.user)
    if not memberships:
        raise Http404
    organisations = [m.organisation for m in memberships]
    chosen = request.POST.get("organisation") or request.GET.get("org")
    if chosen:
        organisation = next((o for o in organisations if o.pk == whole_number(chosen)), None)
        if organisation is None:
            raise Http404
    else:
        organisation = organisations[0]
    departments = selectors.departments_for_entry(
        request.user, organisation_id=organisation.pk
    ).order_by("name")
    errors = {}
    if request.method == "POST":
        department = request.POST.get("department", "")
        department_id = whole_number(department) if department else None
        if department and department_id is None:
            raise Http404
        try:
            services.duty_entry_record(
                actor=request.user,
                organisation_id=organisation.pk,
                kind=request.POST.get("kind", ""),
                occurred_on=_date(request.POST.get("occurred_on")),
                department_id=department_id,
                description=request.POST.get("description", ""),
                opinion=request.POST.get("opinion", ""),
                zero_risk=request.POST.get("zero_risk") == "on",
                files=request.FILES.getlist("files"),
            )
        except PermissionDenied as exc:
            raise Http404 from exc
        except ValidationError as exc:
            errors = exc.message_dict
        else:
            messages.success(request, _("The duty was recorded."))
            return redirect("duties:entries")
    return render(
        request,
        "duties/entry_new.html",
        {
            "organisation": organisation,
            "organisations": organisations,
            "departments": departments,
            "kinds": DutyType.choices,
            "errors": errors,
            "data": request.POST,
            "today": timezone.localdate().isoformat(),
        },
        status=400 if errors else 200,
    )


def _summary_request(request):
    organisations = selectors.summary_organisations_for(request.user)
    organisation = chosen_or_first(organisations, request.GET.get("org"))
    if organisation is None:
        raise Http404
    today = timezone.localdate()
    default = periods.previous_month(today)
    period = periods.parse_period(request.GET.get("period") or default.label, today=today)
    result = selectors.summary(user=request.user, organisation=organisation, period=period)
    return organisation, organisations, period, result


@login_required
def summary(request):
    organisation, organisations, period, result = _summary_request(request)
    today = timezone.localdate()
    months = [periods.Period(year=today.year, month=m) for m in range(1, today.month + 1)]
    quarters = [
        periods.Period(year=today.year, quarter=q) for q in range(1, (today.month - 1) // 3 + 2)
    ]
    return render(
        request,
        "duties/summary.html",
        {
            "organisation": organisation,
            "organisations": organisations,
            "period": period,
            "choices": [p.label for p in reversed(months)]
            + [f"{q.year}-Q{q.quarter}" for q in reversed(quarters)],
            "chosen": period.label.replace(" ", "-"),
            **result,
        },
    )


@login_required
def summary_export(request):
    organisation, _organisations, period, result = _summary_request(request)
    label = period.label.replace(" ", "-")
    response = HttpResponse(
        summary_workbook(result, title=label),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="duty-log-{organisation.pk}-{label}.xlsx"'
    )
    return response


@login_required
def summary_word(request):
    organisation, _organisations, period, result = _summary_request(request)
    label = period.label.replace(" ", "-")
    data = summary_document(result, organisation_name=organisation.name, title=label)
    return docx_response(data, f"duty-log-{organisation.pk}-{label}.docx")


@login_required
def attachment_download(request, pk: int, file_id: int):
    attachment = selectors.attachment_visible_to(request.user, entry_id=pk, attachment_id=file_id)
    if attachment is None:
        raise Http404
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name)
