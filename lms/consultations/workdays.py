"""Working days, for the reminders of unanswered questions: pure, no database.

Weekends are not working days. Chinese public holidays move every year (the lunar calendar and
the State Council's 调休 notice, which also makes some weekends working days), so they are not
computed: `holidays` and `extra_workdays` come from the CONSULTATION_HOLIDAYS and
CONSULTATION_EXTRA_WORKDAYS settings, filled in from each year's notice (empty by default)."""

from collections.abc import Collection
from datetime import date, timedelta


def is_working_day(
    day: date, *, holidays: Collection[date] = (), extra_workdays: Collection[date] = ()
) -> bool:
    if day in extra_workdays:
        return True
    return day.weekday() < 5 and day not in holidays


def working_days_between(
    start: date,
    end: date,
    *,
    holidays: Collection[date] = (),
    extra_workdays: Collection[date] = (),
) -> int:
    """Working days after `start` up to and including `end` (0 when end is not after start):
    a question asked on Friday has waited one working day on Monday."""
    count = 0
    day = start + timedelta(days=1)
    while day <= end:
        if is_working_day(day, holidays=holidays, extra_workdays=extra_workdays):
            count += 1
        day += timedelta(days=1)
    return count


class Stage:
    NONE = 0
    REMIND = 1
    ESCALATE = 2


def stage_due(
    asked_on: date,
    today: date,
    *,
    working_days: int,
    holidays: Collection[date] = (),
    extra_workdays: Collection[date] = (),
) -> int:
    """What an unanswered question is due: a reminder after `working_days` working days, an
    escalation to the head after twice as many."""
    waited = working_days_between(asked_on, today, holidays=holidays, extra_workdays=extra_workdays)
    if waited >= 2 * working_days:
        return Stage.ESCALATE
    if waited >= working_days:
        return Stage.REMIND
    return Stage.NONE
