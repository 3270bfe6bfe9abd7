"""Working days for reminders: weekends skipped, holidays and make-up working days from the
settings. Pure: no database."""

from datetime import date

from lms.consultations.workdays import Stage, stage_due, working_days_between

FRIDAY = date(2026, 12, 4)


def test_a_weekend_is_not_counted():
    assert working_days_between(FRIDAY, date(2026, 12, 6)) == 0  # Saturday, Sunday
    assert working_days_between(FRIDAY, date(2026, 12, 7)) == 1  # Monday
    assert working_days_between(FRIDAY, date(2026, 12, 11)) == 5


def test_nothing_has_waited_on_the_day_it_was_asked_or_before():
    assert working_days_between(FRIDAY, FRIDAY) == 0
    assert working_days_between(FRIDAY, date(2026, 12, 1)) == 0


def test_holidays_are_skipped_and_make_up_working_days_counted():
    national_day = {date(2026, 10, d) for d in range(1, 8)}
    make_up = {date(2026, 10, 10)}  # a Saturday worked (调休)
    asked = date(2026, 9, 30)
    assert working_days_between(asked, date(2026, 10, 9), holidays=national_day) == 2
    assert (
        working_days_between(
            asked, date(2026, 10, 10), holidays=national_day, extra_workdays=make_up
        )
        == 3
    )


def test_a_question_is_reminded_after_n_working_days_and_escalated_after_2n():
    assert stage_due(FRIDAY, date(2026, 12, 8), working_days=3) == Stage.NONE  # 2 days
    assert stage_due(FRIDAY, date(2026, 12, 9), working_days=3) == Stage.REMIND
    assert stage_due(FRIDAY, date(2026, 12, 11), working_days=3) == Stage.REMIND  # 5 days
    assert stage_due(FRIDAY, date(2026, 12, 14), working_days=3) == Stage.ESCALATE  # 6 days
