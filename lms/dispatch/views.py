"""合规管理调度 pages: the organisation's quarters (meeting held or missing), a quarter's report
(page and Word), and the meeting's record and form. Thin: parse, call selectors or one service,
render."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lms.params import chosen_or_first, whole_number
from lms.word import docx_response

from . import selectors, services
from .quarters import Quarter, parse_quarter, quarter_of
from .report import report_document, report_filename


def _organisation(request, organisations=None):
    if organisations is None:
        organisations = selectors.organisations_readable_by(request.user)
    organisation = chosen_or_first(organisations, request.GET.get("org"))
    if organisation is None:
        raise Http404
    return organisation, organisations


def _quarter(request) -> Quarter:
    text = request.GET.get("quarter")
    if not text:
        return quarter_of(timezone.localdate())
    quarter = parse_quarter(text)
    if quarter is None or quarter.start > timezone.localdate():
        raise Http404
    return quarter


def _date(value) -> date | None:
    try:
        return date.fromisoformat(value or "")
    except ValueError:
        return None


@login_required
@require_GET
def quarters(request):
    organisation, organisations = _organisation(request)
    today = timezone.localdate()
    years = selectors.years_with_meetings(organisation=organisation, today=today)
    year = whole_number(request.GET.get("year")) or today.year
    if year not in years:
        raise Http404
    return render(
        request,
        "dispatch/quarters.html",
        {
            "organisation": organisation,
            "organisations": organisations,
            "year": year,
            "years": years,
            "rows": selectors.quarters_overview(organisation=organisation, year=year, today=today),
            "may_record": selectors.may_record(request.user, organisation_id=organisation.pk),
        },
    )


@login_required
@require_GET
def quarter(request):
    organisation, _organisations = _organisation(request)
    chosen = _quarter(request)
    report = selectors.quarter_report(organisation=organisation, quarter=chosen)
    return render(
        request,
        "dispatch/quarter.html",
        {
            **report,
            "may_record": selectors.may_record(request.user, organisation_id=organisation.pk),
            "closed": chosen.closed(timezone.localdate()),
        },
    )


@login_required
@require_GET
def quarter_word(request):
    organisation, _organisations = _organisation(request)
    report = selectors.quarter_report(organisation=organisation, quarter=_quarter(request))
    return docx_response(report_document(report), report_filename(report))


def _form_context(organisation, chosen, errors, data, meeting=None):
    today = timezone.localdate()
    return {
        "organisation": organisation,
        "quarter": chosen,
        "meeting": meeting,
        "people": selectors.attendee_choices(organisation_id=organisation.pk),
        "chosen_attendees": [str(pk) for pk in data.getlist("attendees")]
        if hasattr(data, "getlist")
        else data.get("attendees", []),
        "errors": errors,
        "data": data,
        "max_date": min(chosen.end, today).isoformat(),
    }


@login_required
@require_http_methods(["GET", "POST"])
def meeting_new(request):
    organisation, _organisations = _organisation(
        request, selectors.organisations_recordable_by(request.user)
    )
    chosen = _quarter(request)
    errors: dict = {}
    if request.method == "POST":
        try:
            meeting = services.meeting_record(
                actor=request.user,
                organisation_id=organisation.pk,
                quarter=chosen,
                held_on=_date(request.POST.get("held_on")),
                attendee_ids=[
                    pk for pk in map(whole_number, request.POST.getlist("attendees")) if pk
                ],
                minutes=request.POST.get("minutes", ""),
                decisions=request.POST.get("decisions", ""),
                priorities=request.POST.get("priorities", ""),
                files=request.FILES.getlist("files"),
            )
        except ValidationError as exc:
            errors = exc.message_dict
        else:
            messages.success(request, _("The dispatch meeting was recorded."))
            return redirect("dispatch:meeting", pk=meeting.pk)
    return render(
        request,
        "dispatch/meeting_form.html",
        _form_context(organisation, chosen, errors, request.POST),
        status=400 if errors else 200,
    )


def _meeting(request, pk: int):
    meeting = selectors.meeting_visible_to(request.user, pk=pk)
    if meeting is None:
        raise Http404
    return meeting


@login_required
@require_GET
def meeting(request, pk: int):
    found = _meeting(request, pk)
    may_record = selectors.may_record(request.user, organisation_id=found.organisation_id)
    return render(
        request,
        "dispatch/meeting.html",
        {
            "meeting": found,
            "quarter": Quarter(found.year, found.quarter),
            "attendees": selectors.attendees_of(found),
            "may_edit": may_record and not found.is_locked,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request, pk: int):
    found = _meeting(request, pk)
    if not selectors.may_record(request.user, organisation_id=found.organisation_id):
        raise Http404
    chosen = Quarter(found.year, found.quarter)
    errors: dict = {}
    if request.method == "POST":
        data = request.POST
        try:
            services.meeting_change(
                actor=request.user,
                meeting_id=found.pk,
                held_on=_date(request.POST.get("held_on")),
                attendee_ids=[
                    pk for pk in map(whole_number, request.POST.getlist("attendees")) if pk
                ],
                minutes=request.POST.get("minutes", ""),
                decisions=request.POST.get("decisions", ""),
                priorities=request.POST.get("priorities", ""),
                files=request.FILES.getlist("files"),
            )
        except ValidationError as exc:
            errors = exc.message_dict
        else:
            messages.success(request, _("The minutes were saved."))
            return redirect("dispatch:meeting", pk=found.pk)
    else:
        if found.is_locked:
            return redirect("dispatch:meeting", pk=found.pk)
        data = {
            "held_on": found.held_on.isoformat(),
            "minutes": found.minutes,
            "decisions": found.decisions,
            "priorities": found.priorities,
            "attendees": [str(s.pk) for s in found.attendees.all()],
        }
    return render(
        request,
        "dispatch/meeting_form.html",
        _form_context(found.organisation, chosen, errors, data, meeting=found),
        status=400 if errors else 200,
    )


@login_required
@require_POST
def meeting_lock(request, pk: int):
    found = _meeting(request, pk)
    if not selectors.may_record(request.user, organisation_id=found.organisation_id):
        raise Http404
    services.meeting_lock(actor=request.user, meeting_id=found.pk)
    messages.success(request, _("The minutes are finalised: they can no longer be changed."))
    return redirect("dispatch:meeting", pk=found.pk)


@login_required
@require_GET
def attachment_download(request, pk: int, file_id: int):
    attachment = selectors.attachment_visible_to(request.user, meeting_id=pk, attachment_id=file_id)
    if attachment is None:
        raise Http404
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name)


def group_panel_context(request, organisation) -> dict | None:
    """The subsidiary's quarters on its group's read-only page (hidden: not the reader's)."""
    dispatch = selectors.group_dispatch_of(user=request.user, organisation_id=organisation.pk)
    return None if dispatch is None else {"dispatch": dispatch}
