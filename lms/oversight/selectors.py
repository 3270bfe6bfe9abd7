"""Reads for regulator oversight and the self-inspection report, scoped to the caller.

A regulator reads aggregates of the enterprises in its jurisdiction (access.py's jurisdiction
filter, as spot checks use it), never a person: `AggregatesOnly` refuses anything finer. The
figures come from the other apps' GROUP BY selectors (one query each, however many enterprises),
kept per enterprise and year in `EnterpriseFigures`.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.selectors import annual_exams_by_organisation
from assessments.spotchecks.selectors import spot_checks_by_enterprise
from lms.learning.selectors import training_by_organisation
from lms.organisations.access import access_for, jurisdiction_filter
from lms.organisations.selectors import (
    enterprises,
    organisation_names,
    regulated_enterprises,
    regulators_with_jurisdiction,
    staffing_by_organisation,
)
from lms.records.selectors import awards_by_organisation, violations_by_organisation
from lms.refusals import Refused

from . import deadlines, dispatch_hook, scoring
from .columns import BY_KEY, COLUMNS, Column
from .models import EnterpriseFigures, SelfInspection, SelfInspectionDue

FIGURE_KEYS = (
    "staff",
    "cco",
    "head",
    "admin_full",
    "admin_part",
    "departments",
    "departments_covered",
    "training_total",
    "training_completed",
    "training_overdue",
    "exam_sat",
    "exam_passed",
    "violations_general",
    "violations_major",
    "violations_serious",
    "violations_very_serious",
    "violations_open",
    "commendations",
    "penalties",
    "spot_drawn",
    "spot_passed",
    "spot_failed",
    "rect_total",
    "rect_accepted",
    "rect_overdue",
)


class AggregatesOnly(Refused):
    """A regulator asked for a person's data: oversight shows enterprises' aggregates only."""

    status = 403


def figures_compute(*, organisation_ids, year: int, today: date | None = None) -> dict[int, dict]:
    """The figures of each enterprise for a year: six GROUP BY queries over all of them (never
    one per enterprise), merged into one dict of counts per enterprise."""
    ids = list(organisation_ids)
    today = today or timezone.localdate()
    staffing = staffing_by_organisation(organisation_ids=ids)
    training = training_by_organisation(organisation_ids=ids, year=year, today=today)
    exams = annual_exams_by_organisation(organisation_ids=ids, year=year)
    violations = violations_by_organisation(organisation_ids=ids, year=year)
    awards = awards_by_organisation(organisation_ids=ids, year=year)
    spots = spot_checks_by_enterprise(enterprise_ids=ids, year=year, today=today)
    result: dict[int, dict] = {}
    for pk in ids:
        s, t, e = staffing.get(pk, {}), training.get(pk, {}), exams.get(pk, {})
        v, a, c = violations.get(pk, {}), awards.get(pk, {}), spots.get(pk, {})
        result[pk] = {
            "staff": s.get("staff", 0),
            "cco": s.get("cco", 0),
            "head": s.get("head", 0),
            "admin_full": s.get("admin_full", 0),
            "admin_part": s.get("admin_part", 0),
            "departments": s.get("departments", 0),
            "departments_covered": s.get("departments_covered", 0),
            "training_total": t.get("total", 0),
            "training_completed": t.get("completed", 0),
            "training_overdue": t.get("overdue", 0),
            "exam_sat": e.get("sat", 0),
            "exam_passed": e.get("passed", 0),
            "violations_general": v.get("general", 0),
            "violations_major": v.get("major", 0),
            "violations_serious": v.get("serious", 0),
            "violations_very_serious": v.get("very_serious", 0),
            "violations_open": v.get("open", 0),
            "commendations": a.get("commendations", 0),
            "penalties": a.get("penalties", 0),
            "spot_drawn": c.get("drawn", 0),
            "spot_passed": c.get("passed", 0),
            "spot_failed": c.get("failed", 0),
            "rect_total": c.get("rectifications", 0),
            "rect_accepted": c.get("rectifications_accepted", 0),
            "rect_overdue": c.get("rectifications_overdue", 0),
        }
    return result


# --- who oversees whom -----------------------------------------------------------------------
def is_overseer(user) -> bool:
    return bool(access_for(user).regulator_ids)


def may_confirm_grades(user) -> bool:
    """Regulator officers confirm risk grades; inspectors only read."""
    access = access_for(user)
    return bool(access.regulator_ids - access.inspector_regulator_ids)


def enterprises_overseen_by(user) -> QuerySet:
    """The active enterprises in the jurisdiction of the regulator(s) the user works for."""
    access = access_for(user)
    if not access.regulator_ids:
        return enterprises().none()
    return enterprises().filter(jurisdiction_filter(access.regulator_ids), is_active=True)


def enterprise_overseen_by(user, *, organisation_id: int):
    """One enterprise of the jurisdiction; 404 for any other (and for anyone not a regulator)."""
    organisation = enterprises_overseen_by(user).filter(pk=organisation_id).first()
    if organisation is None:
        raise Http404
    return organisation


def refuse_personal_data() -> None:
    raise AggregatesOnly(
        _(
            "Oversight shows each enterprise's aggregates only: no person's file, name or "
            "result is available to a regulator here."
        )
    )


# --- the oversight rows ----------------------------------------------------------------------
@dataclass
class SelfInspectionState:
    year: int
    due_on: date
    submitted_at: datetime | None = None
    first_submitted_at: datetime | None = None
    submitted_by_role: str = ""
    replaced_count: int = 0
    late: bool = False
    report_id: int | None = None

    @property
    def label(self) -> str:
        if self.submitted_at is not None:
            when = timezone.localtime(self.submitted_at).strftime("%Y-%m-%d")
            if self.late:
                return _("Submitted late, %(date)s") % {"date": when}
            return _("Submitted %(date)s") % {"date": when}
        if self.late:
            return _("Late: not submitted (due %(date)s)") % {"date": self.due_on.isoformat()}
        return _("Not yet submitted (due %(date)s)") % {"date": self.due_on.isoformat()}

    @property
    def sort_key(self) -> int:
        if self.submitted_at is not None:
            return 1 if self.late else 0
        return 3 if self.late else 2


# --- when the report is due ------------------------------------------------------------------
def due_dates_set(*, year: int, regulator_ids=None) -> dict[int, date]:
    """Regulator id → the due date it set for the reports on `year` (regulators that set none
    are absent)."""
    rows = SelfInspectionDue.objects.filter(year=year)
    if regulator_ids is not None:
        rows = rows.filter(regulator_id__in=list(regulator_ids))
    return dict(rows.values_list("regulator_id", "due_on"))


def due_dates(*, organisation_ids, year: int, regulator_ids=None) -> dict[int, date]:
    """Enterprise id → when its report on `year` is due: the earliest date among the
    regulators (all of them, or only `regulator_ids`: the ones a regulator's officer works
    for) whose jurisdiction it is in, a regulator that set none counting with the default.
    An enterprise under none of them gets the default. No query per enterprise: none at all
    beyond one when every regulator in question has the same date, else one per regulator."""
    ids = list(organisation_ids)
    default = deadlines.default_due_on(year)
    set_dates = due_dates_set(year=year, regulator_ids=regulator_ids)
    if not set_dates:
        return dict.fromkeys(ids, default)
    regulators = (
        list(regulator_ids) if regulator_ids is not None else regulators_with_jurisdiction()
    )
    effective = {pk: set_dates.get(pk, default) for pk in regulators}
    if regulator_ids is not None and len(set(effective.values())) == 1:
        # The reader's own regulator(s): every enterprise they read is in their jurisdiction.
        return dict.fromkeys(ids, next(iter(effective.values())))
    result: dict[int, date] = {}
    for regulator_id, due in sorted(effective.items()):
        inside = enterprises().filter(jurisdiction_filter([regulator_id]), pk__in=ids)
        for pk in inside.values_list("pk", flat=True):
            result[pk] = min(result.get(pk, due), due)
    return {pk: result.get(pk, default) for pk in ids}


def due_date_for_reader(user, *, year: int) -> date:
    """The date a regulator's reader holds the reports on `year` to: their regulator's (the
    earliest, for someone working for several), or the default."""
    access = access_for(user)
    default = deadlines.default_due_on(year)
    set_dates = due_dates_set(year=year, regulator_ids=access.regulator_ids)
    return min((set_dates.get(pk, default) for pk in access.regulator_ids), default=default)


def regulators_due_dates_for(user, *, year: int) -> list[dict]:
    """The regulators the user works for, each with the date it set for `year` (or None) and
    whether the user may change it (an officer, not an inspector)."""
    access = access_for(user)
    set_dates = due_dates_set(year=year, regulator_ids=access.regulator_ids)
    names = organisation_names(access.regulator_ids)
    return [
        {
            "regulator_id": pk,
            "name": names.get(pk, ""),
            "due_on": set_dates.get(pk),
            "may_set": pk not in access.inspector_regulator_ids,
        }
        for pk in sorted(access.regulator_ids, key=lambda pk: names.get(pk, ""))
    ]


def self_inspection_states(
    *, organisation_ids, year: int, today: date, regulator_ids=None
) -> dict[int, SelfInspectionState]:
    """The state of each enterprise's report on `year`, late or not by its due date (as
    `due_dates` finds it: `regulator_ids` are the regulators a reader works for)."""
    organisation_ids = list(organisation_ids)
    reports = {
        r.organisation_id: r
        for r in SelfInspection.objects.filter(year=year, organisation_id__in=organisation_ids)
    }
    dues = due_dates(organisation_ids=organisation_ids, year=year, regulator_ids=regulator_ids)
    states = {}
    for pk in organisation_ids:
        due = dues[pk]
        state = SelfInspectionState(year=year, due_on=due)
        report = reports.get(pk)
        if report is not None:
            state.submitted_at = report.submitted_at
            state.first_submitted_at = report.first_submitted_at
            state.submitted_by_role = report.submitted_by_role
            state.replaced_count = report.replaced_count
            state.report_id = report.pk
            first = timezone.localtime(report.first_submitted_at).date()
            state.late = deadlines.is_late(due=due, today=today, submitted_on=first)
        else:
            state.late = deadlines.is_late(due=due, today=today, submitted_on=None)
        states[pk] = state
    return states


@dataclass
class OversightRow:
    organisation_id: int
    name: str
    risk_grade: str
    risk_grade_label: str
    figures: dict
    computed_at: datetime | None
    self_inspection: SelfInspectionState
    dispatch_quarters: int | None
    dispatch_due: int
    suggestion: scoring.Suggestion = field(init=False)

    def __post_init__(self) -> None:
        missed = None
        if self.dispatch_quarters is not None:
            missed = max(0, self.dispatch_due - self.dispatch_quarters)
        self.suggestion = scoring.suggest_grade(
            self.figures,
            self_inspection_late=self.self_inspection.late,
            dispatch_quarters_missed=missed,
        )

    def _n(self, key: str) -> int:
        return int(self.figures.get(key) or 0)

    @property
    def heads(self) -> int:
        return self._n("cco") + self._n("head")

    @property
    def admins(self) -> int:
        return self._n("admin_full") + self._n("admin_part")

    @property
    def rectifications_open(self) -> int:
        return self._n("rect_total") - self._n("rect_accepted")

    @property
    def cells(self) -> list[tuple[Column, int | None]]:
        return [(column, column.value(self)) for column in COLUMNS]


def figures_stored(*, organisation_ids, year: int) -> dict[int, EnterpriseFigures]:
    return {
        f.organisation_id: f
        for f in EnterpriseFigures.objects.filter(year=year, organisation_id__in=organisation_ids)
    }


def oversight_rows(user, *, year: int, today: date | None = None) -> list[OversightRow]:
    """One row per enterprise overseen by the user: a fixed number of queries in all."""
    today = today or timezone.localdate()
    organisations = list(
        enterprises_overseen_by(user).order_by("name").only("name", "short_name", "risk_grade")
    )
    return _rows(
        organisations, year=year, today=today, regulator_ids=access_for(user).regulator_ids
    )


def _rows(organisations, *, year: int, today: date, regulator_ids) -> list[OversightRow]:
    ids = [o.pk for o in organisations]
    stored = figures_stored(organisation_ids=ids, year=year)
    missing = [pk for pk in ids if pk not in stored]
    computed = figures_compute(organisation_ids=missing, year=year, today=today) if missing else {}
    states = self_inspection_states(
        organisation_ids=ids, year=year, today=today, regulator_ids=regulator_ids
    )
    held = dispatch_hook.quarters_held(organisation_ids=ids, year=year)
    due = dispatch_hook.quarters_ended(year=year, today=today)
    rows = []
    for organisation in organisations:
        pk = organisation.pk
        figures = stored[pk].figures if pk in stored else computed[pk]
        rows.append(
            OversightRow(
                organisation_id=pk,
                name=organisation.short_name or organisation.name,
                risk_grade=organisation.risk_grade,
                risk_grade_label=str(organisation.get_risk_grade_display()),
                figures=figures,
                computed_at=stored[pk].computed_at if pk in stored else None,
                self_inspection=states[pk],
                dispatch_quarters=None if held is None else held.get(pk, 0),
                dispatch_due=due,
            )
        )
    return rows


def oversight_enterprise(
    user, *, organisation_id: int, year: int, today: date | None = None
) -> OversightRow:
    organisation = enterprise_overseen_by(user, organisation_id=organisation_id)
    today = today or timezone.localdate()
    return _rows(
        [organisation], year=year, today=today, regulator_ids=access_for(user).regulator_ids
    )[0]


SORTS = ("name", "risk_grade", "suggested", "self_inspection")


def sort_rows(rows: list[OversightRow], *, key: str, descending: bool) -> list[OversightRow]:
    """Sort by a column (or name, grade, suggested grade, self-inspection); a figure that is not
    available sorts last either way."""
    if key == "name":
        return sorted(rows, key=lambda r: r.name, reverse=descending)
    if key == "risk_grade":
        getter = lambda r: r.risk_grade  # noqa: E731
    elif key == "suggested":
        getter = lambda r: r.suggestion.grade  # noqa: E731
    elif key == "self_inspection":
        getter = lambda r: r.self_inspection.sort_key  # noqa: E731
    else:
        getter = BY_KEY[key].value
    present = [r for r in rows if getter(r) is not None]
    absent = [r for r in rows if getter(r) is None]
    return sorted(present, key=lambda r: (getter(r), r.name), reverse=descending) + absent


# --- self-inspection, the enterprise's side --------------------------------------------------
def self_inspection_organisations_for(user) -> QuerySet:
    """Enterprises whose self-inspection report the user answers for: where they are the
    compliance head or chief compliance officer."""
    return enterprises().filter(pk__in=access_for(user).head_org_ids, is_active=True)


def self_inspection_organisation(user, *, organisation_id: int):
    organisation = self_inspection_organisations_for(user).filter(pk=organisation_id).first()
    if organisation is None:
        raise Http404
    return organisation


def self_inspection_years(today: date) -> list[int]:
    """The years a report may be drafted and submitted for: this year and the two before."""
    return [today.year, today.year - 1, today.year - 2]


def self_inspection_report_for(user, *, organisation_id: int, year: int) -> SelfInspection:
    """The submitted report's file, for the enterprise's heads and its regulators; 404 else."""
    access = access_for(user)
    allowed = organisation_id in access.head_org_ids or (
        access.regulator_ids and enterprises_overseen_by(user).filter(pk=organisation_id).exists()
    )
    report = (
        SelfInspection.objects.filter(organisation_id=organisation_id, year=year).first()
        if allowed
        else None
    )
    if report is None:
        raise Http404
    return report


def enterprises_late_with_self_inspection(*, year: int) -> QuerySet:
    """Active enterprises under some regulator's jurisdiction with no report for `year`."""
    submitted = SelfInspection.objects.filter(year=year).values("organisation_id")
    return regulated_enterprises().exclude(pk__in=submitted)


def risk_grade_choices() -> list[tuple[str, str]]:
    field = enterprises().model._meta.get_field("risk_grade")
    return [(value, str(label)) for value, label in field.choices or ()]


def role_labels() -> dict[str, str]:
    """Compliance roles by their name (a submitter is shown by role, never by name)."""
    from lms.organisations.selectors import positions_definable_by  # noqa: PLC0415

    field = positions_definable_by(None).model._meta.get_field("compliance_role")
    return {value: str(label) for value, label in field.choices or ()}
