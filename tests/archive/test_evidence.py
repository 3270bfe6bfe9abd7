"""Which exam an appointment rests on, and what a date range keeps: pure, no database."""

import datetime

from lms.archive.evidence import ExamFact, appointment_evidence, in_range

T = datetime.datetime(2026, 3, 1, 9, 0, tzinfo=datetime.UTC)


def fact(key, *, days=0, passed=True, pre=True):
    return ExamFact(
        key=key,
        pre_appointment=pre,
        passed=passed,
        submitted_at=T + datetime.timedelta(days=days),
    )


def test_no_exam_is_needed_for_a_position_without_one():
    assert appointment_evidence([fact(1)], needs_exam=False, decided_at=T) is None


def test_the_last_passed_pre_appointment_exam_before_the_decision_is_the_evidence():
    attempts = [fact(1, days=-30), fact(2, days=-2), fact(3, days=-1, passed=False)]
    attempts += [fact(4, days=5), fact(5, days=-1, pre=False)]
    assert appointment_evidence(attempts, needs_exam=True, decided_at=T).key == 2


def test_an_exam_passed_after_the_decision_is_no_evidence():
    assert appointment_evidence([fact(1, days=3)], needs_exam=True, decided_at=T) is None


def test_an_open_request_shows_the_last_pass_so_far():
    attempts = [fact(1, days=-3), fact(2, days=3)]
    assert appointment_evidence(attempts, needs_exam=True, decided_at=None).key == 2


def test_a_range_keeps_its_first_and_last_day():
    start, end = datetime.date(2026, 1, 1), datetime.date(2026, 3, 31)
    assert in_range(datetime.date(2026, 1, 1), start, end)
    assert in_range(datetime.datetime(2026, 3, 31, 23, 59), start, end)
    assert not in_range(datetime.date(2026, 4, 1), start, end)
    assert not in_range(None, start, end)
    assert in_range(None, None, None)
