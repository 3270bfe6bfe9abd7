"""Which exam attempt is an appointment's evidence: pure, no database.

A position that needs a pre-appointment exam was given on a passed attempt at one; the file shows
the last such attempt submitted before the appointment was decided (or, for a request still
open, the last one so far)."""

import datetime
from dataclasses import dataclass


@dataclass(frozen=True)
class ExamFact:
    key: int
    pre_appointment: bool
    passed: bool | None
    submitted_at: datetime.datetime | None


def appointment_evidence(
    attempts: list[ExamFact], *, needs_exam: bool, decided_at: datetime.datetime | None
) -> ExamFact | None:
    """The passed pre-appointment attempt the appointment rests on, or None (none needed, or
    none passed before the decision)."""
    if not needs_exam:
        return None
    passed = [
        a
        for a in attempts
        if a.pre_appointment
        and a.passed
        and a.submitted_at is not None
        and (decided_at is None or a.submitted_at <= decided_at)
    ]
    return max(passed, key=lambda a: (a.submitted_at, a.key), default=None)


def in_range(
    value: datetime.date | datetime.datetime | None,
    start: datetime.date | None,
    end: datetime.date | None,
) -> bool:
    """Whether a date (or a time, by its date) falls in [start, end]; no range: always. A time
    must already be local."""
    if start is None or end is None:
        return True
    if value is None:
        return False
    day = value.date() if isinstance(value, datetime.datetime) else value
    return start <= day <= end
