"""When the annual self-inspection report is due. Pure, no database.

One rule for every regulator: the report on year Y is due on 31 January of Y + 1 (the
SASAC plan set 20 December for 2023; a per-regulator date is left for later)."""

from datetime import date


def due_on(year: int) -> date:
    return date(year + 1, 1, 31)


def is_late(*, year: int, today: date, submitted_on: date | None) -> bool:
    """Late: not submitted by the due date (submitted after it, or not at all once it passed)."""
    due = due_on(year)
    if submitted_on is not None:
        return submitted_on > due
    return today > due


def latest_due_year(today: date) -> int:
    """The latest year whose report's due date has passed, or is today (the one a regulator
    checks first): last year from 1 February, the year before in January."""
    return today.year - 1 if today >= due_on(today.year - 1) else today.year - 2
