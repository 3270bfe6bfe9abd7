"""The suggested risk grade and the self-inspection due date: pure functions, no database."""

from datetime import date

from lms.oversight import deadlines, dispatch_hook
from lms.oversight.scoring import percent, suggest_grade

CLEAN = {
    "cco": 1,
    "head": 1,
    "admin_full": 1,
    "admin_part": 2,
    "training_total": 100,
    "training_completed": 95,
    "exam_sat": 50,
    "exam_passed": 48,
}


def test_an_enterprise_with_nothing_against_it_is_suggested_grade_a():
    suggestion = suggest_grade(CLEAN, self_inspection_late=False, dispatch_quarters_missed=0)
    assert suggestion.grade == "A"
    assert suggestion.points == 0


def test_findings_add_points_and_raise_the_grade_step_by_step():
    weak = CLEAN | {"training_completed": 80}  # below the 85 % target: 1 point
    assert suggest_grade(weak, self_inspection_late=False, dispatch_quarters_missed=0).grade == "A"
    late = suggest_grade(weak, self_inspection_late=True, dispatch_quarters_missed=None)
    assert (late.grade, late.points) == ("B", 2)
    assert [code for code, _ in late.reasons] == ["training_below_target", "self_inspection_late"]
    failed = weak | {"spot_drawn": 1, "spot_failed": 1, "rect_overdue": 1}
    assert suggest_grade(failed, self_inspection_late=True, dispatch_quarters_missed=0).grade == "C"


def test_no_one_in_post_and_grave_violations_give_grade_d():
    suggestion = suggest_grade(
        {"violations_serious": 1, "violations_very_serious": 2},
        self_inspection_late=False,
        dispatch_quarters_missed=2,
    )
    # no head 2, no administrator 1, grave violations (capped) 4, dispatch 1
    assert suggestion.points == 8
    assert suggestion.grade == "D"
    assert ("grave_violations", {"count": 3}) in suggestion.reasons


def test_nothing_to_count_is_no_rate_not_a_zero_rate():
    assert percent(0, 0) is None
    assert percent(2, 3) == 66
    suggestion = suggest_grade(
        CLEAN | {"training_total": 0, "exam_sat": 0},
        self_inspection_late=False,
        dispatch_quarters_missed=None,
    )
    assert suggestion.grade == "A"


def test_the_report_on_a_year_is_due_on_31_january_after_it_by_default():
    due = deadlines.default_due_on(2025)
    assert due == date(2026, 1, 31)
    assert not deadlines.is_late(due=due, today=date(2026, 1, 31), submitted_on=None)
    assert deadlines.is_late(due=due, today=date(2026, 2, 1), submitted_on=None)
    assert deadlines.is_late(due=due, today=date(2026, 3, 1), submitted_on=date(2026, 2, 2))
    assert not deadlines.is_late(due=due, today=date(2026, 3, 1), submitted_on=date(2026, 1, 20))
    assert deadlines.latest_due_year(date(2026, 12, 1)) == 2025
    assert deadlines.latest_due_year(date(2026, 1, 15)) == 2024


def test_a_regulators_20_december_makes_this_years_report_the_one_checked_first():
    def december(year):
        return date(year, 12, 20)

    assert deadlines.latest_due_year(date(2026, 12, 19), december) == 2025
    assert deadlines.latest_due_year(date(2026, 12, 20), december) == 2026


def test_a_due_date_lies_from_1_december_to_30_june_after():
    assert deadlines.due_problem(year=2026, due=date(2026, 12, 1)) is None
    assert deadlines.due_problem(year=2026, due=date(2027, 6, 30)) is None
    assert deadlines.due_problem(year=2026, due=date(2026, 11, 30))
    assert deadlines.due_problem(year=2026, due=date(2027, 7, 1))


def test_dispatch_is_answered_by_the_dispatch_app_and_reads_not_available_without_it():
    from lms.oversight import dispatch_wiring

    assert dispatch_hook._provider is dispatch_wiring.quarters_held
    assert dispatch_hook.quarters_ended(year=2026, today=date(2026, 12, 1)) == 3
    assert dispatch_hook.quarters_ended(year=2025, today=date(2026, 12, 1)) == 4
    dispatch_hook.register(None)
    try:
        assert dispatch_hook.quarters_held(organisation_ids=[1], year=2026) is None
        dispatch_hook.register(lambda *, organisation_ids, year: {1: 2})
        assert dispatch_hook.quarters_held(organisation_ids=[1], year=2026) == {1: 2}
    finally:
        dispatch_hook.register(dispatch_wiring.quarters_held)
