"""The answer ledger of bench/exam_day.py: what the load client gave and what the server
acknowledged, checked against what the database stores. Pure: no Django, no network.

An answer must be stored when the server acknowledged it (200), or when the client gave it
before the attempt's deadline and kept it to send again (as the exam page does): the newest
such answer of each question (highest sequence number) must be in the database, or a newer one.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Given:
    attempt_id: int
    question_id: int
    seq: int
    answer: tuple[str, ...]
    given_at: float  # epoch seconds, the load client's clock (loopback: the server's too)
    deadline: float  # epoch seconds: the attempt's deadline as the paper said
    acked: bool = False  # the server answered 200 to it
    kept: bool = False  # the client kept it and retried it until acknowledged or refused


@dataclass(frozen=True)
class Stored:
    seq: int
    answer: tuple[str, ...]


@dataclass(frozen=True)
class Lost:
    attempt_id: int
    question_id: int
    seq: int
    answer: tuple[str, ...]
    why: str  # "acknowledged" or "given in time"
    stored_seq: int | None

    def __str__(self) -> str:
        stored = "nothing" if self.stored_seq is None else f"seq {self.stored_seq}"
        return (
            f"attempt {self.attempt_id} question {self.question_id}: seq {self.seq} "
            f"{list(self.answer)} ({self.why}) but the database holds {stored}"
        )


def must_be_stored(entry: Given) -> bool:
    return entry.acked or (entry.kept and entry.given_at < entry.deadline)


def answers_lost(given: Iterable[Given], stored: Mapping[tuple[int, int], Stored]) -> list[Lost]:
    """Every (attempt, question) whose newest answer that must be stored is not: absent, an
    older sequence number, or the same sequence number with another answer."""
    newest: dict[tuple[int, int], Given] = {}
    for entry in given:
        if not must_be_stored(entry):
            continue
        key = (entry.attempt_id, entry.question_id)
        if key not in newest or entry.seq > newest[key].seq:
            newest[key] = entry
    lost = []
    for key, entry in sorted(newest.items()):
        held = stored.get(key)
        if held is not None and (
            held.seq > entry.seq or (held.seq == entry.seq and held.answer == entry.answer)
        ):
            continue
        lost.append(
            Lost(
                attempt_id=entry.attempt_id,
                question_id=entry.question_id,
                seq=entry.seq,
                answer=entry.answer,
                why="acknowledged" if entry.acked else "given in time",
                stored_seq=None if held is None else held.seq,
            )
        )
    return lost


def report(lost: list[Lost], limit: int = 20) -> str:
    if not lost:
        return "answers lost: 0"
    lines = [f"answers lost: {len(lost)}"]
    lines += [f"  {item}" for item in lost[:limit]]
    if len(lost) > limit:
        lines.append(f"  … and {len(lost) - limit} more")
    return "\n".join(lines)
