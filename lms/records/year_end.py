"""Entries only the end of a year makes: a mandatory course still overdue, an annual exam not
sat (its window closed without an attempt). Made when the compliance head closes the year,
before the appraisals are frozen (and by the beat task on 1 January); idempotent, since
`record_entry` makes one entry per source and kind."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.selectors import annual_exam_absentees
from lms.learning.selectors import enrolments_overdue_assigned
from lms.organisations.selectors import staff_active

from . import services
from .services import platform_language

ABSENTEE_BATCH = 2000


def _year_end(year: int) -> datetime:
    """The last moment of the year, local time."""
    return timezone.make_aware(datetime.combine(date(year, 12, 31), time(23, 59, 59)))


def year_end_entries(*, organisation, year: int, now: datetime | None = None) -> dict[str, int]:
    """Record the year's overdue mandatory courses and annual exams not sat for the
    organisation's people, up to the end of the year or now if earlier. Returns how many of
    each it found (entries already made are not made again)."""
    now = now or timezone.now()
    cutoff = min(now, _year_end(year) + timedelta(seconds=1))
    occurred_at = min(now, _year_end(year))
    rules = services.rules_for(organisation_id=organisation.pk, year=year)
    found = {"course_overdue": 0, "exam_absent": 0}
    overdue = enrolments_overdue_assigned(
        organisation_id=organisation.pk,
        due_from=date(year, 1, 1),
        due_before=timezone.localdate(cutoff),
    )
    for enrolment in overdue.iterator(chunk_size=2000):
        with platform_language():
            summary = _("The mandatory course “%(course)s” (due %(due)s) was still overdue") % {
                "course": enrolment.course.title,
                "due": enrolment.due_on.isoformat(),
            }
        services.record_entry(
            staff=enrolment.staff,
            kind="course_overdue",
            source=enrolment,
            occurred_at=occurred_at,
            year=year,
            summary=summary,
            rules=rules,
        )
        found["course_overdue"] += 1
    people = staff_active().filter(organisation=organisation)
    absentees = annual_exam_absentees(
        user_ids=people.values("user_id"),
        closed_from=timezone.make_aware(datetime.combine(date(year, 1, 1), time.min)),
        closed_before=cutoff,
    )
    # the memberships of the absentees only (not the whole roster's), a batch at a time
    staff_by_user: dict = {}
    for number, (exam, user_id) in enumerate(absentees):
        if number % ABSENTEE_BATCH == 0:
            batch = {u for _exam, u in absentees[number : number + ABSENTEE_BATCH]}
            staff_by_user = {
                s.user_id: s for s in people.filter(user_id__in=batch).select_related("department")
            }
        with platform_language():
            summary = _("Did not sit the exam “%(exam)s” (closed %(closed)s)") % {
                "exam": exam.title,
                "closed": timezone.localdate(exam.closes_at).isoformat(),
            }
        services.record_entry(
            staff=staff_by_user[user_id],
            kind="exam_absent",
            source=exam,
            occurred_at=exam.closes_at,
            year=year,
            summary=summary,
            rules=rules,
        )
        found["exam_absent"] += 1
    return found
