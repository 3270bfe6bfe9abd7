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
    invalid = _("The request is not a valid answer.")
    try:
        data = json.loads(body)
    except (ValueError, RecursionError) as exc:  # bad JSON, bad UTF-8, nested too deep
        raise BadAnswer(invalid) from exc
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
