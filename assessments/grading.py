"""Grading one answer against its key: pure functions, no database.

An answer and a key are lists of strings. Choice questions use option letters of the
question's own order (A, B, ...), whatever order the paper showed them in; true/false uses
"true" / "false"; fill-in keys list every accepted answer; short answers are graded by hand.
"""

import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

OPTION_LETTERS = "ABCDEFGHIJ"  # Moodle has no limit; ten covers real banks
TRUE, FALSE = "true", "false"
MAX_ANSWER_PARTS = 10
MAX_ANSWER_LENGTH = 5000
_SPACE = re.compile(r"\s+")


def normalise_text(text: str) -> str:
    """Full-width to half-width (NFKC), no spaces at all, case-insensitive."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text)).casefold()


def key_problems(
    *,
    kind: str,
    options: list,
    key: list,
    weights: list | None = None,
    feedback: list | None = None,
) -> list[str]:
    """Why this key (and these option grades and feedback) cannot grade this kind of question
    (empty when it is fine)."""
    problems: list[str] = []
    weights, feedback = weights or [], feedback or []
    if not isinstance(options, list) or not isinstance(key, list):
        return [_("Options and key must be lists.")]
    if not isinstance(weights, list) or not isinstance(feedback, list):
        return [_("Option grades and option feedback must be lists.")]
    if (weights or feedback) and kind not in ("single", "multiple"):
        problems.append(_("Only a choice question has option grades or option feedback."))
    if feedback and len(feedback) != len(options):
        problems.append(_("There must be one option feedback for each option."))
    if weights:
        problems.extend(_weight_problems(kind=kind, options=options, key=key, weights=weights))
    if kind in ("single", "multiple"):
        if len(options) < 2:
            problems.append(_("A choice question needs at least two options."))
        if len(options) > len(OPTION_LETTERS):
            problems.append(_("A question has at most ten options (A-J)."))
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


def _weight_problems(*, kind: str, options: list, key: list, weights: list) -> list[str]:
    if len(weights) != len(options):
        return [_("There must be one option grade for each option.")]
    if any(
        isinstance(w, bool) or not isinstance(w, int | float) or not -100 <= w <= 100
        for w in weights
    ):
        return [_("An option grade is a percentage from -100 to 100.")]
    letters = OPTION_LETTERS[: len(options)]
    if kind == "single":
        implied = [letter for letter, w in zip(letters, weights, strict=False) if w >= 100]
    else:
        implied = [letter for letter, w in zip(letters, weights, strict=False) if w > 0]
        if sum(w for w in weights if w > 0) < 99.99:
            return [_("The grades of the right options must add up to 100%.")]
    if sorted(implied) != sorted(key):
        return [_("The key must name exactly the options graded as right.")]
    return []


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


def credit(*, kind: str, answer: list, weights: list) -> Decimal:
    """The share of the points (0-1) a choice earns under option grades, as Moodle scores:
    a single choice earns its option's grade; a multiple choice the sum of the grades of the
    options ticked (wrong ones negative), never below 0 or above 100%."""
    given = [a for a in answer if a.strip()]
    by_letter = dict(zip(OPTION_LETTERS, weights, strict=False))
    if kind == "single":
        if len(given) != 1:
            return Decimal(0)
        total = Decimal(str(by_letter.get(given[0], 0)))
    else:
        total = sum((Decimal(str(by_letter.get(g, 0))) for g in set(given)), Decimal(0))
    return min(max(total, Decimal(0)), Decimal(100)) / 100


def grade(
    *, kind: str, key: list, answer: list, points: Decimal, weights: list | None = None
) -> Decimal | None:
    """Points awarded, or None when the answer waits for a human grader. With option grades a
    choice question earns partial credit (`credit`), rounded to the cent."""
    if weights and kind in ("single", "multiple"):
        share = credit(kind=kind, answer=answer, weights=weights)
        return (Decimal(points) * share).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    correct = is_correct(kind=kind, key=key, answer=answer)
    if correct is None:
        return None
    return Decimal(points) if correct else Decimal(0)
