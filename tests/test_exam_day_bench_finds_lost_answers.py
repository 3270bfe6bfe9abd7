"""The exam-day bench (bench/exam_day.py) tells when an answer is lost: its ledger check, and its
load drivers stay within their bounds. Pure: no database, no server (the bench itself needs
gunicorn and runs outside the suite: `python -m bench exam_day`)."""

import asyncio
from concurrent.futures import ThreadPoolExecutor

from bench._ledger import Given, Stored, answers_lost, report
from bench._load import Outcome, closed_loop, open_model, percentile

DEADLINE = 1000.0


def run(coroutine):
    """asyncio.run in a thread of its own: a browser journey earlier in the session (Playwright's
    sync API) leaves an event loop running in the main thread."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def given(seq, answer=("A",), *, at=900.0, acked=False, kept=False, question=7):
    return Given(
        attempt_id=1,
        question_id=question,
        seq=seq,
        answer=answer,
        given_at=at,
        deadline=DEADLINE,
        acked=acked,
        kept=kept,
    )


def test_an_acknowledged_answer_missing_from_the_database_is_lost():
    lost = answers_lost([given(3, acked=True)], stored={})
    assert [(x.question_id, x.seq, x.why, x.stored_seq) for x in lost] == [
        (7, 3, "acknowledged", None)
    ]
    assert report(lost).startswith("answers lost: 1\n  attempt 1 question 7: seq 3")


def test_an_older_answer_in_the_database_is_a_loss_and_a_newer_one_is_not():
    ledger = [given(3, acked=True)]
    assert answers_lost(ledger, {(1, 7): Stored(seq=2, answer=("A",))})[0].stored_seq == 2
    assert answers_lost(ledger, {(1, 7): Stored(seq=4, answer=("D",))}) == []
    assert answers_lost(ledger, {(1, 7): Stored(seq=3, answer=("A",))}) == []


def test_the_same_sequence_number_with_another_answer_is_lost():
    lost = answers_lost([given(3, ("B",), acked=True)], {(1, 7): Stored(seq=3, answer=("C",))})
    assert len(lost) == 1


def test_an_answer_kept_and_given_in_time_must_be_stored_even_if_never_acknowledged():
    in_time = given(5, kept=True, at=DEADLINE - 1)
    assert answers_lost([in_time], {(1, 7): Stored(seq=4, answer=("A",))})[0].why == (
        "given in time"
    )


def test_answers_given_after_the_deadline_or_not_kept_need_not_be_stored():
    late = given(5, kept=True, at=DEADLINE + 1)
    dropped = given(6, kept=False)  # a throughput request that failed: nobody kept it
    assert answers_lost([late, dropped], {(1, 7): Stored(seq=4, answer=("A",))}) == []
    assert report([]) == "answers lost: 0"


def test_only_the_newest_answer_of_a_question_counts():
    ledger = [given(2, ("A",), acked=True), given(9, ("D",), acked=True), given(4, kept=True)]
    assert answers_lost(ledger, {(1, 7): Stored(seq=9, answer=("D",))}) == []
    assert answers_lost(ledger, {(1, 7): Stored(seq=4, answer=("A",))})[0].seq == 9


def test_percentiles_and_an_outcome_count_errors():
    assert percentile([5, 1, 3, 2, 4], 50) == 3
    assert percentile(list(range(1, 101)), 95) == 95
    outcome = Outcome()
    outcome.add(True, 10)
    outcome.add(False, 20, "save 500")
    assert (outcome.done, outcome.errors, outcome.error_kinds) == (2, 1, {"save 500": 1})


def test_a_closed_loop_stops_at_its_request_cap():
    calls = []

    async def request(n):
        calls.append(n)
        await asyncio.sleep(0)
        return True, ""

    outcome = run(closed_loop(request, concurrency=4, seconds=30, cap=25))
    assert outcome.done == 25 and sorted(calls) == list(range(25))


def test_an_open_model_counts_arrivals_it_has_no_room_for_as_errors():
    async def stuck(n):
        await asyncio.sleep(0.5)
        return True, ""

    outcome = run(open_model(stuck, rate=200, seconds=0.3, max_in_flight=3))
    assert outcome.error_kinds.get("no room", 0) > 0
    assert outcome.done - outcome.errors <= 3
