"""Reads of the ledger, scoped to the caller: a person reads their own record; administrators
read the people on the rosters they administer (a part-time administrator: their departments).

Every function here runs a fixed number of queries, however many entries there are.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, Count, F, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

if TYPE_CHECKING:
    from lms.organisations.models import Organisation, Staff

from lms.organisations.access import access_for
from lms.organisations.selectors import (
    group_readable,
    staff_active,
    staff_changeable_by,
    staff_manageable_by,
    staff_organisations_for,
)

from . import scoring
from .kinds import Category, Grade, Severity
from .models import Appraisal, ClosedYear, LedgerEntry, Violation, ViolationNature
from .roster_scoring import person_facts
from .services import rules_for

# how a source (app label, model) links to a page its person may open
SOURCE_PAGES = {
    ("learning", "enrolment"): ("learning:my_learning", False),
    ("assessments", "exam"): ("assessments:exam_start", True),
    ("certificates", "certificate"): ("certificates:download", True),
    ("spotchecks", "drawnperson"): ("spotchecks:my_spot_checks", False),
    ("duties", "dutyentry"): ("duties:entries", False),
}


def source_url(entry: LedgerEntry) -> str:
    """The page of an entry's source (no query: content types are cached)."""
    source_type = ContentType.objects.get_for_id(entry.source_type_id)
    page = SOURCE_PAGES.get((source_type.app_label, source_type.model))
    if page is None:
        return ""
    url_name, with_id = page
    try:
        return reverse(url_name, args=[entry.source_id] if with_id else [])
    except NoReverseMatch:
        return ""


def facts_of(entries) -> list[scoring.Fact]:
    return [
        scoring.Fact(
            key=e.pk,
            kind=e.kind,
            points=e.points,
            severity=e.severity,
            occurred_at=e.occurred_at,
            reverses=e.reverses_id,
        )
        for e in entries
    ]


@dataclass
class YearRecord:
    organisation: "Organisation"
    year: int
    entries: list
    appraisal: scoring.Appraisal | None
    problem: str = ""
    # where the record is one person's (person_year_record): whose, the closed year if it is
    # closed, the frozen appraisal's versions (newest first), and whether the reader may amend
    staff: "Staff | None" = None
    closed: Any = None
    versions: list = field(default_factory=list)
    may_amend: bool = False

    @property
    def grade_label(self) -> str:
        return Grade.label(self.appraisal.grade) if self.appraisal else ""


def years_of(user) -> list[int]:
    years = set(LedgerEntry.objects.filter(user=user).values_list("year", flat=True).distinct())
    years.add(timezone.localdate().year)
    return sorted(years, reverse=True)


def my_record(user, *, year: int) -> list[YearRecord]:
    """The person's own entries of a year, per organisation, with the score so far and grade."""
    entries = list(
        LedgerEntry.objects.filter(user=user, year=year)
        .select_related("organisation")
        .order_by("-occurred_at", "-pk")
    )
    by_org: dict[int, list] = defaultdict(list)
    organisations = {}
    for entry in entries:
        by_org[entry.organisation_id].append(entry)
        organisations[entry.organisation_id] = entry.organisation
    records = []
    for org_id, org_entries in by_org.items():
        for entry in org_entries:
            entry.source_url = source_url(entry)
        records.append(_year_record(organisations[org_id], year, org_entries))
    return sorted(records, key=lambda r: r.organisation.name)


def _year_record(organisation, year: int, entries: list) -> YearRecord:
    reversed_ids = {e.reverses_id for e in entries if e.reverses_id}
    for entry in entries:
        entry.is_reversed = entry.pk in reversed_ids
    try:
        appraisal = scoring.appraise(
            facts_of(entries), rules_for(organisation_id=organisation.pk, year=year)
        )
    except scoring.PolicyError as exc:
        return YearRecord(organisation, year, entries, None, problem=str(exc))
    return YearRecord(organisation, year, entries, appraisal)


# --- the administrator's 合规考核 page -------------------------------------------------------


def appraisal_organisations_for(user) -> "QuerySet[Organisation]":
    """Enterprises whose people the user administers (all or some departments)."""
    return staff_organisations_for(user)


@dataclass
class PersonRow:
    staff: object
    appraisal: scoring.Appraisal

    @property
    def grade_label(self) -> str:
        return Grade.label(self.appraisal.grade)


@dataclass
class DepartmentRow:
    name: str
    people: list = field(default_factory=list)

    @property
    def grades(self) -> list[dict]:
        return _distribution([p.appraisal.grade for p in self.people])

    @property
    def average(self):
        if not self.people:
            return None
        total = sum(p.appraisal.score for p in self.people)
        return (total / len(self.people)).quantize(total.__class__("0.1"))


@dataclass
class OrganisationAppraisal:
    organisation: "Organisation"
    year: int
    departments: list
    grades: list
    problem: str = ""
    closed: object = None


def _distribution(grades: list[str]) -> list[dict]:
    total = len(grades)
    counts = dict.fromkeys(Grade.order, 0)
    for grade in grades:
        counts[grade] += 1
    return [
        {
            "grade": grade,
            "label": Grade.label(grade),
            "count": counts[grade],
            "percent": round(100 * counts[grade] / total) if total else 0,
        }
        for grade in Grade.order
    ]


def closed_year_of(*, organisation: "Organisation", year: int) -> ClosedYear | None:
    return (
        ClosedYear.objects.filter(organisation=organisation, year=year)
        .select_related("closed_by")
        .first()
    )


def _frozen_appraisal(roster: "QuerySet[Staff]", *, closed: ClosedYear) -> OrganisationAppraisal:
    """A closed year as frozen: the latest version of each person's appraisal (of the people in
    `roster`), never recomputed."""
    from decimal import Decimal

    latest = {}
    for row in (
        Appraisal.objects.filter(closed_year=closed, staff__in=roster.values("pk"))
        .select_related("staff__user", "staff__department", "staff__position")
        .order_by("staff_id", "version")
    ):
        latest[row.staff_id] = row
    departments: dict[str, DepartmentRow] = {}
    grades = []
    for row in sorted(
        latest.values(),
        key=lambda r: (
            r.staff.department.name if r.staff.department is not None else "",
            r.staff.user.full_name,
        ),
    ):
        appraisal = scoring.Appraisal(
            score=row.score,
            grade=row.grade,
            by_category={k: Decimal(v) for k, v in row.breakdown.get("by_category", {}).items()},
            violations_by_severity=row.breakdown.get("violations", {}),
            hard_rules=row.breakdown.get("hard_rules", []),
        )
        name = row.staff.department.name if row.staff.department is not None else ""
        departments.setdefault(name, DepartmentRow(name=name)).people.append(
            PersonRow(staff=row.staff, appraisal=appraisal)
        )
        grades.append(row.grade)
    return OrganisationAppraisal(
        organisation=closed.organisation,
        year=closed.year,
        departments=sorted(departments.values(), key=lambda d: (d.name == "", d.name)),
        grades=_distribution(grades),
        closed=closed,
    )


def organisation_appraisal(
    user, *, organisation: "Organisation", year: int, live: bool = False
) -> OrganisationAppraisal:
    """Every person on the user's roster in the organisation, scored for the year, by department
    (their department now); a closed year as it was frozen (unless `live`). A fixed number of
    queries whatever the number of people and entries."""
    return _appraisal(staff_manageable_by(user), organisation=organisation, year=year, live=live)


def group_appraisal(
    user, *, organisation: "Organisation", year: int
) -> OrganisationAppraisal | None:
    """A subsidiary's appraisal for its group's read-only roll-up (None: not the user's to
    read); the page shows the grade distribution only."""
    if not group_readable(user, organisation_id=organisation.pk):
        return None
    return _appraisal(staff_active(), organisation=organisation, year=year, live=False)


def _appraisal(
    roster: "QuerySet[Staff]", *, organisation: "Organisation", year: int, live: bool
) -> OrganisationAppraisal:
    if not live:
        closed = closed_year_of(organisation=organisation, year=year)
        if closed is not None:
            return _frozen_appraisal(roster, closed=closed)
    staff = list(
        staff_active(roster)
        .filter(organisation=organisation)
        .order_by("department__name", "user__full_name")
        # what the page, the export and closing the year read of a person (thousands of rows)
        .only(
            "user_id",
            "organisation_id",
            "department_id",
            "position_id",
            "employee_number",
            "status",
            "user__full_name",
            "user__email",
            "organisation__name",
            "department__name",
            "position__name",
        )
    )
    facts_by_user = dict(
        person_facts(
            organisation_id=organisation.pk,
            year=year,
            user_ids=[member.user_id for member in staff],
        )
    )
    rules = scoring.Policy(rules_for(organisation_id=organisation.pk, year=year))
    departments: dict[str, DepartmentRow] = {}
    all_grades = []
    try:
        for member in staff:
            appraisal = scoring.appraise(facts_by_user.get(member.user_id, []), rules)
            name = member.department.name if member.department is not None else ""
            departments.setdefault(name, DepartmentRow(name=name)).people.append(
                PersonRow(staff=member, appraisal=appraisal)
            )
            all_grades.append(appraisal.grade)
    except scoring.PolicyError as exc:
        return OrganisationAppraisal(organisation, year, [], _distribution([]), problem=str(exc))
    return OrganisationAppraisal(
        organisation=organisation,
        year=year,
        departments=sorted(departments.values(), key=lambda d: (d.name == "", d.name)),
        grades=_distribution(all_grades),
    )


def person_record_for_admin(user, *, staff_id: int, year: int) -> YearRecord | None:
    """A person's record as an administrator who may see them reads it (None: not theirs to
    see, which the view turns into a 404)."""
    member = staff_manageable_by(user).filter(pk=staff_id).first()
    if member is None:
        return None
    entries = list(
        LedgerEntry.objects.filter(user_id=member.user_id, organisation_id=member.organisation_id)
        .filter(year=year)
        .order_by("-occurred_at", "-pk")
    )
    record = _year_record(member.organisation, year, entries)
    record.staff = member
    record.closed = closed_year_of(organisation=member.organisation, year=year)
    record.versions = (
        list(
            Appraisal.objects.filter(closed_year=record.closed, staff=member)
            .select_related("amended_by")
            .order_by("-version")
        )
        if record.closed
        else []
    )
    access = access_for(user)
    record.may_amend = bool(
        record.versions
        and (access.is_platform_admin or member.organisation_id in access.head_org_ids)
        and staff_changeable_by(user).filter(pk=member.pk).exists()
    )
    return record


# --- violations -------------------------------------------------------------------------------


def violations_manageable_by(user) -> QuerySet[Violation]:
    """Violations of the people on the rosters the user administers."""
    return (
        Violation.objects.filter(staff__in=staff_manageable_by(user))
        .select_related("staff__user", "staff__department", "nature", "organisation")
        .order_by("-reported_at", "-pk")
    )


def violation_visible_to(user, pk: int) -> Violation | None:
    """The person's own violation, or one of someone on the user's roster (None: neither)."""
    qs = Violation.objects.select_related(
        "staff__user", "staff__department", "nature", "organisation", "reported_by", "decided_by"
    ).prefetch_related("evidence")
    own = qs.filter(pk=pk, staff__user=user).first()
    return own or qs.filter(pk=pk, staff__in=staff_manageable_by(user)).first()


def my_violations(user) -> QuerySet[Violation]:
    return Violation.objects.filter(staff__user=user).select_related("nature")


def nature_names_for(user) -> list[str]:
    return list(
        ViolationNature.objects.filter(
            organisation__in=staff_manageable_by(user).values("organisation_id"), is_active=True
        )
        .values_list("name", flat=True)
        .distinct()
        .order_by("name")
    )


def may_decide(user, violation: Violation) -> bool:
    from lms.organisations.selectors import staff_changeable_by

    from .services import violations_decidable_q

    return (
        violation.is_open
        and Violation.objects.filter(violations_decidable_q(user), pk=violation.pk).exists()
        and staff_changeable_by(user).filter(pk=violation.staff_id).exists()
    )


def honour_roll(user, *, year: int) -> QuerySet:
    """荣誉榜: the year's commendations in the organisations the user belongs to."""
    from .models import Award

    access = access_for(user)
    return (
        Award.objects.filter(
            organisation_id__in=access.member_org_ids,
            decided_on__year=year,
        )
        .exclude(kind__in=Award.PENALTIES)
        .select_related("staff__user", "staff__department", "department", "organisation")
    )


def appraisals_of_organisation(*, organisation_id: int) -> QuerySet[Appraisal]:
    """Every version of the frozen appraisals of the organisation's closed years, for its HR
    system (lms.integrations). `changed_at`: when the version was made (an amendment is a new
    version), or for rows from before that was recorded, when the year was closed."""
    return (
        Appraisal.objects.filter(closed_year__organisation_id=organisation_id)
        .annotate(
            changed_at=Coalesce("created_at", "closed_year__closed_at"),
            year=F("closed_year__year"),
            person_user_id=F("staff__user_id"),
            employee_number=F("staff__employee_number"),
            person_email=F("staff__user__email"),
        )
        .order_by("pk")
    )


def ledger_entries_of_organisation(*, organisation_id: int) -> QuerySet[LedgerEntry]:
    """The organisation's ledger entries, for its HR system (lms.integrations). The ledger is
    append-only, so `changed_at` is when an entry was entered; a correction is a new entry."""
    return (
        LedgerEntry.objects.filter(organisation_id=organisation_id)
        .annotate(
            changed_at=F("entered_at"),
            employee_number=F("staff__employee_number"),
            person_email=F("user__email"),
        )
        .order_by("pk")
    )


# --- an organisation's figures for a period: aggregates only, for a caller that has checked the
# reader may see the organisation (the quarterly dispatch report)


def violation_figures(*, organisation_id: int, start, end) -> list[dict]:
    """Violations that occurred in [start, end] per severity (every severity, in its order):
    reported (dismissed ones left out), confirmed, and still open."""
    from django.db.models import Count, Q

    from .kinds import Severity

    counts: dict[str, Any] = {
        row["severity"]: row
        for row in Violation.objects.filter(
            organisation_id=organisation_id, occurred_on__range=(start, end)
        )
        .exclude(status=Violation.Status.DISMISSED)
        .values("severity")
        .annotate(
            reported=Count("pk"),
            confirmed=Count("pk", filter=Q(status=Violation.Status.CONFIRMED)),
            open=Count("pk", filter=Q(status__in=Violation.OPEN_STATUSES)),
        )
    }
    return [
        {
            "severity": value,
            "label": str(label),
            "reported": counts.get(value, {}).get("reported", 0),
            "confirmed": counts.get(value, {}).get("confirmed", 0),
            "open": counts.get(value, {}).get("open", 0),
        }
        for value, label in Severity.choices
    ]


def award_figures(*, organisation_id: int, start, end) -> dict:
    """Commendations and penalties decided in [start, end]: counts per kind (kinds with none
    left out) and the totals of each."""
    from django.db.models import Count

    from .models import Award

    rows = (
        Award.objects.filter(organisation_id=organisation_id, decided_on__range=(start, end))
        .values("kind")
        .annotate(n=Count("pk"))
    )
    counts = {row["kind"]: row["n"] for row in rows}
    kinds = [
        {
            "kind": value,
            "label": str(label),
            "count": counts[value],
            "penalty": value in Award.PENALTIES,
        }
        for value, label in Award.Kind.choices
        if counts.get(value)
    ]
    return {
        "kinds": kinds,
        "commendations": sum(k["count"] for k in kinds if not k["penalty"]),
        "penalties": sum(k["count"] for k in kinds if k["penalty"]),
    }


# --- for the compliance file (lms.archive): the caller has already checked who may read -------


def violations_of_staff(*, staff_ids) -> QuerySet[Violation]:
    return (
        Violation.objects.filter(staff_id__in=staff_ids)
        .select_related("nature")
        .order_by("staff_id", "occurred_on", "pk")
    )


def awards_of_staff(*, staff_ids) -> QuerySet:
    """Commendations and penalties given to these memberships, oldest first."""
    from .models import Award

    return Award.objects.filter(staff_id__in=staff_ids).order_by("staff_id", "decided_on", "pk")


def appraisals_of_staff(*, staff_ids) -> list[Appraisal]:
    """Each closed year's appraisal of these memberships as it stands (its latest version),
    by year."""
    latest: dict[tuple[int, int], Appraisal] = {}
    for row in (
        Appraisal.objects.filter(staff_id__in=staff_ids)
        .select_related("closed_year")
        .order_by("staff_id", "closed_year__year", "version")
    ):
        latest[(row.staff_id, row.closed_year_id)] = row
    return list(latest.values())


# --- aggregates per organisation, for a regulator's oversight (no personal data) -------------
def violations_by_organisation(*, organisation_ids, year: int) -> dict[int, dict[str, int]]:
    """Per organisation, the violations of `year` (by the date they occurred) confirmed, by
    severity, and those still open. One GROUP BY query; counts only."""
    confirmed = Q(status=Violation.Status.CONFIRMED)
    rows = (
        Violation.objects.filter(organisation_id__in=organisation_ids, occurred_on__year=year)
        .values("organisation_id")
        .annotate(
            open=Count("pk", filter=Q(status__in=Violation.OPEN_STATUSES)),
            **{
                severity: Count("pk", filter=confirmed & Q(severity=severity))
                for severity, _label in Severity.choices
            },
        )
    )
    result: dict[int, dict[str, int]] = {}
    for row in rows:
        counts: dict = dict(row)
        result[counts.pop("organisation_id")] = counts
    return result


def awards_by_organisation(*, organisation_ids, year: int) -> dict[int, dict[str, int]]:
    """Per organisation, the commendations and penalties in the ledger for `year`, less those
    reversed (a reversal counts minus one). One GROUP BY query; counts only."""
    counted = Case(When(reverses__isnull=True, then=Value(1)), default=Value(-1))
    rows = (
        LedgerEntry.objects.filter(
            organisation_id__in=organisation_ids,
            year=year,
            category__in=(Category.COMMENDATION, Category.PENALTY),
        )
        .values("organisation_id")
        .annotate(
            commendations=Sum(counted, filter=Q(category=Category.COMMENDATION)),
            penalties=Sum(counted, filter=Q(category=Category.PENALTY)),
        )
    )
    return {
        row["organisation_id"]: {
            "commendations": row["commendations"] or 0,
            "penalties": row["penalties"] or 0,
        }
        for row in rows
    }
