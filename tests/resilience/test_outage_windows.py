"""Pure: how far outages push the moment an attempt stops taking answers."""

from datetime import datetime, timedelta

from lms.resilience.windows import extended_close

T0 = datetime(2027, 3, 1, 9, 0)
GRACE = timedelta(seconds=60)
RECOVERY = timedelta(minutes=5)
DEADLINE = T0 + timedelta(minutes=30)


def close(*windows):
    return extended_close(
        started_at=T0, deadline=DEADLINE, grace=GRACE, recovery=RECOVERY, windows=windows
    )


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def test_without_outages_answers_close_a_grace_after_the_deadline():
    assert close() == DEADLINE + GRACE


def test_an_outage_over_the_deadline_keeps_it_open_until_a_recovery_after_its_end():
    assert close((at(29), at(33))) == at(33) + RECOVERY


def test_an_outage_beginning_in_the_grace_counts():
    assert close((at(30.5), at(32))) == at(32) + RECOVERY


def test_an_outage_long_before_the_deadline_changes_nothing():
    assert close((at(5), at(10))) == DEADLINE + GRACE


def test_outages_before_the_start_or_after_the_close_do_not_count():
    assert close((T0 - timedelta(hours=1), T0 - timedelta(minutes=1))) == DEADLINE + GRACE
    assert close((at(31.5), at(40))) == DEADLINE + GRACE


def test_an_outage_within_the_recovery_of_another_pushes_again():
    assert close((at(36), at(50)), (at(29), at(33))) == at(50) + RECOVERY
