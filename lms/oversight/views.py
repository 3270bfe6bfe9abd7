"""Oversight pages: the regulator's table of its enterprises' aggregates (sortable, charted,
xlsx), one enterprise's aggregates with the suggested risk grade, the self-inspection reports'
status; the enterprise's self-inspection page (Word draft, upload, submit). Thin: parse, call
one service or selectors, render."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lms.organisations.access import access_for
from lms.params import whole_number
from lms.spreadsheets import xlsx_bytes
from lms.word import docx_response

from . import deadlines, dispatch_hook, report, selectors, services
from .columns import COLUMNS

# Parameters that would name a person: oversight answers them with a refusal, never with data.
PERSONAL_PARAMETERS = ("person", "staff", "user", "employee", "name")
FIRST_YEAR = 2020
# Enterprises per page of the table: 500 rows of 21 cells each took most of the page's time;
# the grade chart, the late count and the xlsx still cover every enterprise.
PAGE_SIZE = 50


def _refuse_personal(request) -> None:
    if any(key in request.GET or key in request.POST for key in PERSONAL_PARAMETERS):
        selectors.refuse_personal_data()


def _year(request, default: int) -> int:
    raw = request.GET.get("year")
    if not raw:
        return default
    year = whole_number(raw)
    if year is None or not FIRST_YEAR <= year <= timezone.localdate().year:
        raise Http404
    return year


def _overseer(request) -> None:
    if not selectors.is_overseer(request.user):
        raise Http404
    _refuse_personal(request)


def _sorted_rows(request, year: int):
    services.figures_fill_missing(user=request.user, year=year)
    rows = selectors.oversight_rows(request.user, year=year)
    sort = request.GET.get("sort") or "name"
    if sort not in selectors.SORTS and sort not in selectors.BY_KEY:
        raise Http404
    descending = request.GET.get("dir") == "desc"
    return selectors.sort_rows(rows, key=sort, descending=descending), sort, descending


def _latest_due_year(user, today) -> int:
    return deadlines.latest_due_year(
        today, lambda year: selectors.due_date_for_reader(user, year=year)
    )


def _years() -> list[int]:
    return list(range(timezone.localdate().year, FIRST_YEAR - 1, -1))


@login_required
def index(request):
    _overseer(request)
    today = timezone.localdate()
    year = _year(request, today.year)
    rows, sort, descending = _sorted_rows(request, year)
    late_year = _latest_due_year(request.user, today)
    late = [
        s
        for s in selectors.self_inspection_states(
            organisation_ids=[r.organisation_id for r in rows],
            year=late_year,
            today=today,
            regulator_ids=access_for(request.user).regulator_ids,
        ).values()
        if s.late and s.submitted_at is None
    ]
    grades = {}
    for row in rows:
        grades[row.suggestion.grade] = grades.get(row.suggestion.grade, 0) + 1
    most = max(grades.values(), default=0)
    computed = [r.computed_at for r in rows if r.computed_at]
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "oversight/index.html",
        {
            "rows": page.object_list,
            "page": page,
            "enterprises": len(rows),
            "columns": COLUMNS,
            "not_available": _("Not available"),
            "year": year,
            "years": _years(),
            "sort": sort,
            "descending": descending,
            "late_count": len(late),
            "late_year": late_year,
            "grade_chart": [
                {
                    "grade": g,
                    "count": grades.get(g, 0),
                    "width": grades.get(g, 0) * 100 // most if most else 0,
                }
                for g in "ABCD"
            ],
            "computed_at": min(computed) if computed else None,
            "dispatch_available": dispatch_hook.quarters_held(organisation_ids=[], year=year)
            is not None,
        },
    )


@login_required
def export(request):
    _overseer(request)
    year = _year(request, timezone.localdate().year)
    rows, _sort, _descending = _sorted_rows(request, year)
    headers = [
        _("Enterprise"),
        _("Risk grade"),
        _("Suggested risk grade"),
        *[str(c.label) for c in COLUMNS],
        _("Self-inspection report"),
    ]
    not_available = _("Not available")
    data = [
        [
            r.name,
            r.risk_grade_label,
            r.suggestion.grade,
            *[not_available if value is None else value for _c, value in r.cells],
            r.self_inspection.label,
        ]
        for r in rows
    ]
    response = HttpResponse(
        xlsx_bytes(headers, data),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="oversight-{year}.xlsx"'
    return response


def _reason_text(code: str, params: dict) -> str:
    texts = {
        "no_head": _("No chief compliance officer or compliance head in post"),
        "no_administrator": _("No compliance administrator in post"),
        "training_low": _("Mandatory training completed: %(rate)d%%, below 60%%"),
        "training_below_target": _("Mandatory training completed: %(rate)d%%, below %(target)d%%"),
        "exam_low": _("Annual exam pass rate %(rate)d%%, below 60%%"),
        "exam_below_target": _("Annual exam pass rate %(rate)d%%, below %(target)d%%"),
        "grave_violations": _("%(count)d serious or very serious violations confirmed"),
        "major_violations": _("%(count)d major violations confirmed"),
        "penalties": _("%(count)d penalties"),
        "spot_check_failed": _("%(count)d spot checks fell short"),
        "rectification_overdue": _("%(count)d rectifications overdue"),
        "self_inspection_late": _("Self-inspection report late"),
        "dispatch_missed": _("%(count)d quarters without a compliance dispatch"),
        "spot_check_passed": _("Spot checks met the requirements"),
    }
    return texts[code] % params


@login_required
def enterprise(request, organisation_id: int):
    _overseer(request)
    year = _year(request, timezone.localdate().year)
    row = selectors.oversight_enterprise(request.user, organisation_id=organisation_id, year=year)
    return _enterprise_page(request, row, year)


def _enterprise_page(request, row, year, errors=None):
    groups: dict = {}
    for column, value in row.cells:
        groups.setdefault(str(column.group), []).append((column, value))
    return render(
        request,
        "oversight/enterprise.html",
        {
            "row": row,
            "year": year,
            "years": _years(),
            "groups": groups,
            "figures": row.figures,
            "reasons": [_reason_text(code, params) for code, params in row.suggestion.reasons],
            "grade_choices": selectors.risk_grade_choices(),
            "may_confirm": selectors.may_confirm_grades(request.user),
            "errors": errors or {},
        },
        status=400 if errors else 200,
    )


@login_required
@require_POST
def risk_grade_confirm(request, organisation_id: int):
    _overseer(request)
    year = _year(request, timezone.localdate().year)
    try:
        services.risk_grade_confirm(
            actor=request.user,
            organisation_id=organisation_id,
            grade=request.POST.get("grade", ""),
            year=year,
            reason=request.POST.get("reason", ""),
        )
    except ValidationError as exc:
        row = selectors.oversight_enterprise(
            request.user, organisation_id=organisation_id, year=year
        )
        return _enterprise_page(request, row, year, errors=exc.message_dict)
    messages.success(request, _("The risk grade was saved."))
    return redirect(f"{request.path.rsplit('risk-grade/', 1)[0]}?year={year}")


@login_required
def self_inspections(request):
    return _self_inspections_page(request)


def _self_inspections_page(request, errors=None, year: int | None = None):
    _overseer(request)
    today = timezone.localdate()
    if year is None:
        year = _year(request, _latest_due_year(request.user, today))
    organisations = list(selectors.enterprises_overseen_by(request.user).order_by("name"))
    states = selectors.self_inspection_states(
        organisation_ids=[o.pk for o in organisations],
        year=year,
        today=today,
        regulator_ids=access_for(request.user).regulator_ids,
    )
    rows = [(o, states[o.pk]) for o in organisations]
    rows.sort(key=lambda pair: (-pair[1].sort_key, pair[0].name))
    return render(
        request,
        "oversight/self_inspections.html",
        {
            "rows": rows,
            "year": year,
            "years": _years(),
            "due_on": selectors.due_date_for_reader(request.user, year=year),
            "default_due_on": deadlines.default_due_on(year),
            "regulators": selectors.regulators_due_dates_for(request.user, year=year),
            "errors": errors or [],
            "late": sum(1 for _o, s in rows if s.late and s.submitted_at is None),
            "roles": selectors.role_labels(),
        },
        status=400 if errors else 200,
    )


@login_required
@require_POST
def self_inspection_due_set(request, regulator_id: int, year: int):
    _overseer(request)
    if not FIRST_YEAR <= year <= timezone.localdate().year:  # the years the page shows
        raise Http404
    raw = request.POST.get("due_on", "").strip()
    due_on = None
    if raw and request.POST.get("action") != "default":
        try:
            due_on = date.fromisoformat(raw)
        except ValueError:
            return _due_errors(request, year, [_("Enter the date as YYYY-MM-DD.")])
    try:
        due = services.self_inspection_due_set(
            actor=request.user, regulator_id=regulator_id, year=year, due_on=due_on
        )
    except ValidationError as exc:
        return _due_errors(request, year, [m for ms in exc.message_dict.values() for m in ms])
    messages.success(
        request,
        _("The reports on %(year)s are due on %(date)s.") % {"year": year, "date": due.isoformat()},
    )
    return redirect(f"{reverse('oversight:self_inspections')}?year={year}")


def _due_errors(request, year: int, errors: list):
    return _self_inspections_page(request, errors=errors, year=year)


# --- the enterprise's side -------------------------------------------------------------------
@login_required
def self_inspection(request):
    return _self_inspection_page(request)


def _self_inspection_page(request, errors=None):
    organisations = list(selectors.self_inspection_organisations_for(request.user).order_by("name"))
    if not organisations:
        raise Http404
    today = timezone.localdate()
    years = selectors.self_inspection_years(today)
    blocks = []
    for year in years:
        states = selectors.self_inspection_states(
            organisation_ids=[o.pk for o in organisations], year=year, today=today
        )
        blocks.append({"year": year, "rows": [(o, states[o.pk]) for o in organisations]})
    return render(
        request,
        "oversight/self_inspection.html",
        {"blocks": blocks, "errors": errors or [], "roles": selectors.role_labels()},
        status=400 if errors else 200,
    )


@login_required
def self_inspection_draft(request, organisation_id: int, year: int):
    organisation = selectors.self_inspection_organisation(
        request.user, organisation_id=organisation_id
    )
    if year not in selectors.self_inspection_years(timezone.localdate()):
        raise Http404
    figures = selectors.figures_compute(organisation_ids=[organisation.pk], year=year)
    due = selectors.due_dates(organisation_ids=[organisation.pk], year=year)[organisation.pk]
    held = dispatch_hook.quarters_held(organisation_ids=[organisation.pk], year=year)
    data = report.self_inspection_draft(
        organisation_name=organisation.name,
        year=year,
        due=due,
        figures=figures[organisation.pk],
        dispatch=None if held is None else held.get(organisation.pk, 0),
    )
    return docx_response(
        data,
        _("%(organisation)s self-inspection report %(year)s (draft).docx")
        % {
            "organisation": organisation.short_name or organisation.name,
            "year": year,
        },
    )


@login_required
@require_POST
def self_inspection_submit(request, organisation_id: int, year: int):
    selectors.self_inspection_organisation(request.user, organisation_id=organisation_id)
    try:
        services.self_inspection_submit(
            actor=request.user,
            organisation_id=organisation_id,
            year=year,
            upload=request.FILES.get("file"),
        )
    except ValidationError as exc:
        errors = [m for messages_ in exc.message_dict.values() for m in messages_]
        return _self_inspection_page(request, errors=errors)
    messages.success(request, _("The self-inspection report was submitted to the regulator."))
    return redirect("oversight:self_inspection")


@login_required
def self_inspection_file(request, organisation_id: int, year: int):
    _refuse_personal(request)
    found = selectors.self_inspection_report_for(
        request.user, organisation_id=organisation_id, year=year
    )
    return FileResponse(found.file.open("rb"), as_attachment=True, filename=found.name)
