"""Grading one answer against its key: pure functions, no database.

An answer and a key are lists of strings. Choice questions use option letters of the
question's own order (A, B, ...), whatever order the paper showed them in; true/false uses
"true" / "false"; fill-in keys list every accepted answer; short answers are graded by hand.
"""

import re
import unicodedata
from decimal import Decimal

from django.utils.translation import gettext as _

OPTION_LETTERS = "ABCDEF"
TRUE, FALSE = "true", "false"
MAX_ANSWER_PARTS = 10
MAX_ANSWER_LENGTH = 5000
_SPACE = re.compile(r"\s+")


def normalise_text(text: str) -> str:
    """Full-width to half-width (NFKC), no spaces at all, case-insensitive."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text)).casefold()


def key_problems(*, kind: str, options: list, key: list) -> list[str]:
    """Why this key cannot grade this kind of question (empty when it is fine)."""
    problems: list[str] = []
    if not isinstance(options, list) or not isinstance(key, list):
        return [_("Options and key must be lists.")]
    if kind in ("single", "multiple"):
        if len(options) < 2:
            problems.append(_("A choice question needs at least two options."))
        if len(options) > len(OPTION_LETTERS):
            problems.append(_("A question has at most six options (A-F)."))
        if any(not str(o).strip() for o in options):
            problems.append(_("An option is empty."))
        letters = OPTION_LETTERS[: len(options)]
        if not key:
            problems.append(_("The key names no correct option."))
        elif any(k not in letters for k in key):
            problems.append(
                _("The key names an option that does not exist: %(key)s") % {"key": "".join(key)}
            )
        elif len(set(key)) != len(key):
            problems.append(_("The key names an option twice."))
    elif kind == "true_false":
        if key not in ([TRUE], [FALSE]):
            problems.append(_("A true/false key is either true or false."))
        if options:
            problems.append(_("A true/false question has no options."))
    elif kind == "fill_in":
        if not key or not any(str(k).strip() for k in key):
            problems.append(_("A fill-in question needs at least one accepted answer."))
        if options:
            problems.append(_("A fill-in question has no options."))
    elif kind == "short_answer":
        if options:
            problems.append(_("A short-answer question has no options."))
    else:
        problems.append(_("Unknown question type: %(kind)s") % {"kind": kind})
    return problems


def answer_problems(answer) -> str | None:
    """Why a submitted answer is malformed, or None."""
    if not isinstance(answer, list) or len(answer) > MAX_ANSWER_PARTS:
        return _("An answer is a list of at most %(n)d texts.") % {"n": MAX_ANSWER_PARTS}
    if any(not isinstance(part, str) or len(part) > MAX_ANSWER_LENGTH for part in answer):
        return _("Each part of an answer is a text of at most %(n)d characters.") % {
            "n": MAX_ANSWER_LENGTH
        }
    if not all(is_storable_text(part) for part in answer):
        return _("An answer cannot contain a NUL character or an invalid character.")
    return None


def is_storable_text(text: str) -> bool:
    """No NUL (PostgreSQL text and jsonb refuse it) and no lone surrogate (not UTF-8)."""
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def is_correct(*, kind: str, key: list, answer: list) -> bool | None:
    """True or False for an objective question; None when a person must grade it."""
    given = [a for a in answer if a.strip()]
    if kind == "single":
        # one option chosen; a key may name several right options (Moodle: two answers worth
        # 100%), and any one of them is right
        return len(given) == 1 and given[0] in key
    if kind == "multiple":
        # all-or-nothing: exactly the set of correct options
        return bool(given) and set(given) == set(key)
    if kind == "true_false":
        return given == key
    if kind == "fill_in":
        if not given:
            return False
        accepted = {normalise_text(k) for k in key}
        return normalise_text(" ".join(given)) in accepted
    return None


def grade(*, kind: str, key: list, answer: list, points: Decimal) -> Decimal | None:
    """Points awarded, or None when the answer waits for a human grader."""
    correct = is_correct(kind=kind, key=key, answer=answer)
    if correct is None:
        return None
    return Decimal(points) if correct else Decimal(0)
