"""The 合规考核 page's figures, scoped to the reader's roster, in a fixed number of queries
whatever the number of people: the grade distribution, departments (people, average, grades),
one page of people, violations by nature, severity and department, and the trend across years.

Where the year's scores come from:
- a closed year: the frozen appraisals (the latest version of each person's), grouped in SQL;
- an open year of a roster up to `RECORDS_LIVE_APPRAISAL_LIMIT` people: scored now, exactly
  (`selectors.organisation_appraisal`);
- an open year of a larger roster: the kept scores (`scores.py`, `YearScore`), grouped in SQL,
  with the time they were computed shown."""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.db.models import Avg, Count, Exists, F, Min, OuterRef, QuerySet, Sum

from lms.organisations.access import access_for
from lms.organisations.selectors import staff_active, staff_manageable_by

from .kinds import Grade, Severity
from .models import Appraisal, ClosedYear, Violation, YearScore

PAGE_SIZE = 100
TREND_YEARS = 5
FILL_AT_MOST = 2000  # people scored by a page that finds them without a kept score


@dataclass
class DepartmentLine:
    name: str
    count: int = 0
    total: Decimal = Decimal(0)
    by_grade: dict = field(default_factory=dict)

    @property
    def average(self) -> Decimal | None:
        return (self.total / self.count).quantize(Decimal("0.1")) if self.count else None

    @property
    def grades(self) -> list[dict]:
        return distribution(self.by_grade)


@dataclass
class PersonLine:
    staff_id: int
    name: str
    department: str
    score: Decimal
    grade: str

    @property
    def grade_label(self) -> str:
        return Grade.label(self.grade)


@dataclass
class YearLine:
    year: int
    count: int
    average: Decimal | None
    grades: list
    closed: bool


@dataclass
class Overview:
    organisation: object
    year: int
    grades: list
    departments: list
    people: list
    people_count: int
    page: int
    pages: int
    department: str = ""
    closed: ClosedYear | None = None
    problem: str = ""
    computed_at: datetime | None = None  # kept scores: when the oldest was computed
    violations: dict = field(default_factory=dict)
    trend: list = field(default_factory=list)


def distribution(by_grade: dict) -> list[dict]:
    total = sum(by_grade.values())
    return [
        {
            "grade": grade,
            "label": Grade.label(grade),
            "count": by_grade.get(grade, 0),
            "percent": round(100 * by_grade.get(grade, 0) / total) if total else 0,
        }
        for grade in Grade.order
    ]


def _latest_appraisals(closed: ClosedYear, roster: QuerySet) -> QuerySet[Appraisal]:
    newer = Appraisal.objects.filter(
        closed_year=closed, staff_id=OuterRef("staff_id"), version__gt=OuterRef("version")
    )
    return Appraisal.objects.filter(closed_year=closed, staff__in=roster.values("pk")).exclude(
        Exists(newer)
    )


def _grouped(rows: QuerySet, department: str, *, computed: str | None = None):
    """(department lines, grades overall, when the oldest row was computed or None) of rows
    with `grade` and `score`, in one grouped query; `computed` names the time field to read."""
    lines: dict[str, DepartmentLine] = {}
    overall: dict[str, int] = {}
    oldest: datetime | None = None
    sums = {"n": Count("pk"), "total": Sum("score")}
    if computed:
        sums["oldest"] = Min(computed)
    grouped = (
        rows.order_by()
        .values_list(department, "grade")
        .annotate(**sums)
        .values_list(department, "grade", *sums)
    )
    for name, grade, count, total, *first in grouped:
        line = lines.setdefault(name or "", DepartmentLine(name=name or ""))
        line.count += count
        line.total += total or 0
        line.by_grade[grade] = line.by_grade.get(grade, 0) + count
        overall[grade] = overall.get(grade, 0) + count
        if first and (oldest is None or first[0] < oldest):
            oldest = first[0]
    return sorted(lines.values(), key=lambda d: (d.name == "", d.name)), overall, oldest


def _page_bounds(count: int, page: int) -> tuple[int, int]:
    """(the page asked for, kept within the pages there are; how many pages)."""
    pages = max(1, -(-count // PAGE_SIZE))
    return min(max(page, 1), pages), pages


def _page_of(rows: QuerySet, *, department_field: str, department: str, page: int, person):
    if department:
        rows = rows.filter(**{department_field: department})
    count = rows.count()
    page, pages = _page_bounds(count, page)
    start = (page - 1) * PAGE_SIZE
    return [person(row) for row in rows[start : start + PAGE_SIZE]], count, page, pages


def _fill_missing(roster: QuerySet, *, organisation_id: int, year: int) -> None:
    """People on the roster with no kept score yet (joined since the nightly refresh, with no
    entry of their own): scored now, a few at a time, so that the page counts everyone."""
    from .scores import scores_refresh

    missing = list(
        roster.exclude(
            pk__in=YearScore.objects.filter(organisation_id=organisation_id, year=year).values(
                "staff_id"
            )
        ).values_list("user_id", flat=True)[:FILL_AT_MOST]
    )
    if missing:
        scores_refresh(organisation_id=organisation_id, year=year, user_ids=missing)


def _reads_whole(user, organisation_id: int) -> bool:
    """Whether the user administers the whole organisation (then its rows need no roster
    subquery: everyone of it is on their roster)."""
    access = access_for(user)
    return access.is_platform_admin or organisation_id in access.admin_org_ids


def _kept(user, roster: QuerySet, *, organisation_id: int, year: int):
    """(kept scores, their grouping) when the roster is past the live limit, else None. The
    kept scores are counted first (one grouped query): past the limit, the roster itself is not
    counted; a roster past the limit with fewer kept scores has the missing scored first."""
    kept = YearScore.objects.filter(organisation_id=organisation_id, year=year)
    if not _reads_whole(user, organisation_id):
        # a department's administrator: the people of their departments now
        kept = kept.filter(staff__in=roster.values("pk"))
    grouped = _grouped(kept, "department__name", computed="computed_at")
    limit = settings.RECORDS_LIVE_APPRAISAL_LIMIT
    if sum(grouped[1].values()) > limit:
        return kept, grouped
    if roster.count() <= limit:
        return None
    _fill_missing(roster, organisation_id=organisation_id, year=year)
    return kept, _grouped(kept, "department__name", computed="computed_at")


def appraisal_overview(
    user, *, organisation, year: int, page: int = 1, department: str = ""
) -> Overview:
    from .selectors import organisation_appraisal

    manageable = staff_manageable_by(user).filter(organisation=organisation)
    roster = staff_active(manageable)
    closed = ClosedYear.objects.filter(organisation=organisation, year=year).first()
    computed_at = None
    problem = ""
    if closed is not None:
        frozen = _latest_appraisals(closed, manageable).select_related(
            "staff__user", "staff__department"
        )
        departments, overall, _ = _grouped(frozen, "staff__department__name")
        people, count, page, pages = _page_of(
            frozen.order_by("staff__department__name", "staff__user__full_name", "pk"),
            department_field="staff__department__name",
            department=department,
            page=page,
            person=lambda r: PersonLine(
                r.staff_id,
                r.staff.user.full_name or r.staff.user.email,
                r.staff.department.name if r.staff.department else "",
                r.score,
                r.grade,
            ),
        )
    elif (found := _kept(user, roster, organisation_id=organisation.pk, year=year)) is not None:
        kept, (departments, overall, computed_at) = found
        # a large roster lists one department's people at a time (the first unless chosen)
        names = [d.name for d in departments]
        department = department if department in names else (names[0] if names else "")
        count = next((d.count for d in departments if d.name == department), 0)
        page, pages = _page_bounds(count, page)
        start = (page - 1) * PAGE_SIZE
        rows = (
            kept.filter(department__name=department)
            if department
            else kept.filter(department__isnull=True)
        )
        people = [
            PersonLine(
                r.staff_id,
                r.staff.user.full_name or r.staff.user.email,
                department,
                r.score,
                r.grade,
            )
            for r in rows.select_related("staff__user").order_by("-score", "staff_id")[
                start : start + PAGE_SIZE
            ]
        ]
    else:
        live = organisation_appraisal(user, organisation=organisation, year=year, live=True)
        problem = live.problem
        departments, overall, everyone = [], {}, []
        for row in live.departments:
            line = DepartmentLine(name=row.name)
            for member in row.people:
                grade = member.appraisal.grade
                line.count += 1
                line.total += member.appraisal.score
                line.by_grade[grade] = line.by_grade.get(grade, 0) + 1
                overall[grade] = overall.get(grade, 0) + 1
                if not department or row.name == department:
                    staff = member.staff
                    everyone.append(
                        PersonLine(
                            staff.pk,
                            staff.user.full_name or staff.user.email,
                            row.name,
                            member.appraisal.score,
                            grade,
                        )
                    )
            departments.append(line)
        count = len(everyone)
        page, pages = _page_bounds(count, page)
        people = everyone[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    overview = Overview(
        organisation=organisation,
        year=year,
        grades=distribution(overall),
        departments=departments,
        people=people,
        people_count=count,
        page=page,
        pages=pages,
        department=department,
        closed=closed,
        problem=problem,
        computed_at=computed_at,
    )
    whole = _reads_whole(user, organisation.pk)
    overview.violations = violations_summary(
        manageable, organisation=organisation, year=year, whole=whole
    )
    overview.trend = trend(
        manageable, organisation=organisation, year=year, now=overview, whole=whole
    )
    return overview


def violations_summary(
    manageable: QuerySet, *, organisation, year: int, whole: bool = False
) -> dict:
    """Confirmed violations of the year on the roster (`whole`: the reader's roster is the whole
    organisation): by nature, by severity, and by department with a count per severity."""
    confirmed = Violation.objects.filter(
        organisation=organisation, status=Violation.Status.CONFIRMED, occurred_on__year=year
    ).order_by()
    if not whole:
        confirmed = confirmed.filter(staff__in=manageable.values("pk"))
    by_nature = [
        {"name": name, "count": n}
        for name, n in confirmed.values_list("nature__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "nature__name")
    ]
    severities = dict(
        confirmed.values_list("severity").annotate(n=Count("pk")).values_list("severity", "n")
    )
    by_severity = [
        {"severity": value, "label": label, "count": severities.get(value, 0)}
        for value, label in Severity.choices
    ]
    matrix: dict[str, dict[str, int]] = {}
    for name, severity, n in (
        confirmed.annotate(department_name=F("staff__department__name"))
        .values_list("department_name", "severity")
        .annotate(n=Count("pk"))
        .values_list("department_name", "severity", "n")
    ):
        matrix.setdefault(name or "", {})[severity] = n
    by_department = [
        {
            "name": name,
            "counts": [row.get(value, 0) for value in Severity.values],
            "total": sum(row.values()),
        }
        for name, row in sorted(matrix.items(), key=lambda item: (item[0] == "", item[0]))
    ]
    return {
        "total": sum(severities.values()),
        "by_nature": by_nature,
        "by_severity": by_severity,
        "by_department": by_department,
    }


def trend(
    manageable: QuerySet, *, organisation, year: int, now: Overview, whole: bool = False
) -> list[YearLine]:
    """The last TREND_YEARS years up to `year`: people scored, average score and grades; a
    closed year from its frozen appraisals, an open one from the kept scores (the year shown
    from what the page shows; `whole`: the reader's roster is the whole organisation, whose
    kept scores need no roster subquery). Years with nothing are left out."""
    closed_years = {
        c.year: c
        for c in ClosedYear.objects.filter(
            organisation=organisation, year__gt=year - TREND_YEARS, year__lte=year
        )
    }
    roster = staff_active(manageable)
    lines = []
    for y in range(year - TREND_YEARS + 1, year + 1):
        if y == year:
            by_grade = {g["grade"]: g["count"] for g in now.grades}
            count = sum(by_grade.values())
            total = sum((d.total for d in now.departments), Decimal(0))
            average = (total / count).quantize(Decimal("0.1")) if count else None
        else:
            closed = closed_years.get(y)
            if closed is not None:
                rows: QuerySet = _latest_appraisals(closed, manageable)
            else:
                rows = YearScore.objects.filter(organisation=organisation, year=y)
                if not whole:
                    rows = rows.filter(staff__in=roster.values("pk"))
            by_grade = dict(
                rows.order_by()
                .values_list("grade")
                .annotate(n=Count("pk"))
                .values_list("grade", "n")
            )
            count = sum(by_grade.values())
            mean = rows.aggregate(mean=Avg("score"))["mean"] if count else None
            average = Decimal(mean).quantize(Decimal("0.1")) if mean is not None else None
        if count:
            lines.append(
                YearLine(y, count, average, distribution(by_grade), closed=y in closed_years)
            )
    return lines
