"""The JSON bodies of the exam's answer endpoints, checked in one place: pure, no database.

Whatever a client sends, the result is either a well-formed request or `BadAnswer` (400):
never a database error on a number beyond bigint, a NUL or a lone surrogate the database
cannot store, nor a RecursionError from JSON nested thousands deep.
"""

import json
from dataclasses import dataclass
from typing import TypeGuard

from django.utils.translation import gettext as _

from . import grading
from .exceptions import BadAnswer

# Ids and sequence numbers are stored as bigint (question, seq) or integer (lesson page).
MAX_BIGINT = 2**63 - 1
MAX_INTEGER = 2**31 - 1


@dataclass(frozen=True)
class AnswerRequest:
    question_id: int
    answer: list
    seq: int | None = None
    lesson_id: int | None = None


def _whole_number(value) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def parse_answer_request(body: bytes, *, with_seq: bool = False) -> AnswerRequest:
    """{"question": id, "answer": [...], "seq": n} (exam) or {..., "lesson": id} (knowledge
    check) -> AnswerRequest, or BadAnswer saying what is wrong."""
    return _answer_from(_json(body), with_seq=with_seq)


def _json(body: bytes):
    try:
        return json.loads(body)
    except (ValueError, RecursionError) as exc:  # bad JSON, bad UTF-8, nested too deep
        raise BadAnswer(_("The request is not a valid answer.")) from exc


def _answer_from(data, *, with_seq: bool) -> AnswerRequest:
    invalid = _("The request is not a valid answer.")
    if not isinstance(data, dict) or "question" not in data or "answer" not in data:
        raise BadAnswer(invalid)
    question_id, answer = data["question"], data["answer"]
    if not _whole_number(question_id):
        raise BadAnswer(invalid)
    problem = grading.answer_problems(answer)
    if problem:
        raise BadAnswer(problem)
    seq = lesson_id = None
    if with_seq:
        seq = data.get("seq")
        if not _whole_number(seq) or not 1 <= seq <= MAX_BIGINT:
            raise BadAnswer(_("The sequence number must be a positive whole number."))
    else:
        lesson_id = data.get("lesson") or None
        if lesson_id is not None and not _whole_number(lesson_id):
            raise BadAnswer(invalid)
    return AnswerRequest(question_id=question_id, answer=answer, seq=seq, lesson_id=lesson_id)


# The exam page sends every answer it has waiting in one request; a page offline for the whole
# of a long paper has at most one per question.
MAX_BATCH = 500


@dataclass(frozen=True)
class AnswerBatch:
    """`entries`: in the order sent, each an AnswerRequest or the BadAnswer saying what is wrong
    with that one. `single`: the request was one answer ({"question", "answer", "seq"}), not
    {"answers": [...]}."""

    entries: list[AnswerRequest | BadAnswer]
    single: bool


def parse_answer_batch(body: bytes) -> AnswerBatch:
    """{"answers": [{"question", "answer", "seq"}, ...]} or one such answer -> AnswerBatch; a
    body that is neither is BadAnswer. A bad entry does not spoil the others."""
    data = _json(body)
    if isinstance(data, dict) and "answers" in data:
        answers = data["answers"]
        if not isinstance(answers, list) or not 1 <= len(answers) <= MAX_BATCH:
            raise BadAnswer(_("The request is not a valid answer."))
        entries: list[AnswerRequest | BadAnswer] = []
        for entry in answers:
            try:
                entries.append(_answer_from(entry, with_seq=True))
            except BadAnswer as exc:
                entries.append(exc)
        return AnswerBatch(entries=entries, single=False)
    return AnswerBatch(entries=[_answer_from(data, with_seq=True)], single=True)
