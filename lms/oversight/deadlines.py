"""When the annual self-inspection report is due. Pure, no database.

A regulator may set the date for its jurisdiction and year (`SelfInspectionDue`); a year with
none set falls back to 31 January of the next year. The SASAC plan set 20 December for 2023,
so a date may lie from 1 December of the year to 30 June of the next."""

from collections.abc import Callable
from datetime import date

from django.utils.translation import gettext as _


def default_due_on(year: int) -> date:
    return date(year + 1, 1, 31)


def due_problem(*, year: int, due: date) -> str | None:
    """Why `due` cannot be the due date of the report on `year`, or None."""
    if not date(year, 12, 1) <= due <= date(year + 1, 6, 30):
        return _(
            "The report on %(year)s can be due from 1 December %(year)s to 30 June %(next)s."
        ) % {"year": year, "next": year + 1}
    return None


def is_late(*, due: date, today: date, submitted_on: date | None) -> bool:
    """Late: not submitted by the due date (submitted after it, or not at all once it passed)."""
    if submitted_on is not None:
        return submitted_on > due
    return today > due


def latest_due_year(today: date, due_of: Callable[[int], date] = default_due_on) -> int:
    """The latest year whose report's due date has passed, or is today (the one a regulator
    checks first). With the default dates: last year from 31 January, the year before in
    January; a regulator's 20 December makes it this year from that day."""
    for year in (today.year, today.year - 1):
        if today >= due_of(year):
            return year
    return today.year - 2
