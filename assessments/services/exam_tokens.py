"""The exam token of an attempt (assessments/tokens.py): issued with the exam page, verified by
the answer-save and submit endpoints without a session or a query."""

from django.utils import timezone

from .. import tokens
from ..models import Attempt
from .attempts import SAVE_GRACE


def attempt_token_issue(*, attempt: Attempt, language: str, now=None) -> str:
    """A token for the attempt's person, valid until its deadline plus the grace for saves in
    flight (at most tokens.TOKEN_MAX_AGE)."""
    return tokens.token_issue(
        attempt_id=attempt.pk,
        user_id=attempt.user_id,
        deadline=attempt.deadline,
        grace=SAVE_GRACE,
        language=language,
        now=now or timezone.now(),
    )


def attempt_token_verify(text: str, *, attempt_id: int, now=None) -> tokens.ExamToken:
    """The token's content, or tokens.TokenRefused (invalid, expired, another attempt)."""
    return tokens.token_verify(text, attempt_id=attempt_id, now=now or timezone.now())
