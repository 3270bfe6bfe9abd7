"""The exam page's questions: each rendered once per question version and language, the paper
assembled per attempt from those fragments.

A fragment holds what every paper shows alike: the question's type, its stem and each option's
text as HTML (`question_text`: escaped, tables and the organisation's images kept). It is keyed
by the question's id, its `updated_at` (read with the paper, so an edit is seen at once: a new
key) and the language, and kept in this process and in the shared cache. What belongs to the
attempt or the person is never in it: the position and points, the order of the options (the
attempt's own `option_order`, applied when assembling), the saved answers, the timer and the
token. Images shown in a fragment are those of the organisation's collection when it was
rendered: an image taken out of the collection may show until the fragment expires (an hour).
"""

import time
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.core.cache import cache
from django.template.defaultfilters import floatformat
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from .models import OPTION_LETTERS, Question
from .templatetags.question_text import question_text

FRAGMENT_SECONDS = 3600
_LOCAL_LIMIT = 5000
_local: dict[str, tuple[float, dict]] = {}


@dataclass(frozen=True)
class PaperRow:
    """One item of an attempt's paper as the exam page needs it (no question text)."""

    question_id: int
    kind: str
    updated_at: datetime
    points: Decimal
    option_order: list
    answer: list
    seq: int


def fragment_key(*, question_id: int, updated_at: datetime, language: str) -> str:
    return f"assessments:paper:{question_id}:{updated_at.timestamp():.6f}:{language}"


def question_fragment(question: Question) -> dict:
    """What every paper shows alike of this question, in the active language."""
    return {
        "badge": str(conditional_escape(question.get_kind_display())),
        "stem": str(question_text(question.stem, question)),
        "options": [str(question_text(text, question)) for text in question.options],
    }


def fragments_for(rows: list[PaperRow], *, load) -> list[dict]:
    """The fragment of each row's question: from this process, else the shared cache, else
    rendered from the questions `load(ids)` returns (one query for all that are missing)."""
    language = get_language() or ""
    keys = [
        fragment_key(question_id=r.question_id, updated_at=r.updated_at, language=language)
        for r in rows
    ]
    now = time.monotonic()
    found: dict[str, dict] = {}
    for key in keys:
        local = _local.get(key)
        if local is not None and now - local[0] < FRAGMENT_SECONDS:
            found[key] = local[1]
    missing = [k for k in keys if k not in found]
    if missing:
        shared = cache.get_many(missing)
        found.update(shared)
        for key, fragment in shared.items():
            _remember(key, fragment, now)
    unrendered = {r.question_id: k for r, k in zip(rows, keys, strict=True) if k not in found}
    if unrendered:
        fresh = {}
        for question in load(list(unrendered)):
            key = fragment_key(
                question_id=question.pk, updated_at=question.updated_at, language=language
            )
            fresh[key] = question_fragment(question)
            _remember(key, fresh[key], now)
        cache.set_many(fresh, FRAGMENT_SECONDS)
        found.update(fresh)
    return [found[k] for k in keys]


def _remember(key: str, fragment: dict, now: float) -> None:
    if len(_local) >= _LOCAL_LIMIT:
        _local.clear()
    _local[key] = (now, fragment)


def fragments_forget() -> None:
    """Empty this process's copies (tests that clear the cache clear them too)."""
    _local.clear()


def paper_html(rows: list[PaperRow], fragments: list[dict]) -> SafeString:
    """The paper's fieldsets: each question's fragment with this attempt's position, points,
    option order and saved answer."""
    heading = gettext("Question %(n)s (%(points)s points)")
    your_answer = escape(gettext("Your answer"))
    true_label, false_label = escape(gettext("True")), escape(gettext("False"))
    points_text: dict[Decimal, str] = {}
    parts = []
    for index, (row, fragment) in enumerate(zip(rows, fragments, strict=True)):
        qid, kind, answer = row.question_id, escape(row.kind), row.answer
        if row.points not in points_text:
            points_text[row.points] = str(floatformat(row.points, "-2"))
        legend = heading % {"n": index + 1, "points": points_text[row.points]}
        parts.append(
            f'  <fieldset class="question card" id="q-{qid}" data-question="{qid}" '
            f'data-kind="{kind}" data-index="{index}">\n'
            f'    <legend>{legend} <span class="badge">{fragment["badge"]}</span> '
            f'<span class="save-state" aria-live="polite"></span></legend>\n'
            f'    <div class="stem">{fragment["stem"]}</div>\n'
        )
        if row.kind in ("single", "multiple"):
            kind_input = "radio" if row.kind == "single" else "checkbox"
            options = fragment["options"]
            shown = min(len(options), len(OPTION_LETTERS))
            parts.append("    ")
            for i in row.option_order:
                if not isinstance(i, int) or not 0 <= i < shown:
                    continue
                letter = OPTION_LETTERS[i]
                checked = " checked" if letter in answer else ""
                parts.append(
                    f'<label class="option"><input type="{kind_input}" name="q{qid}" '
                    f'value="{letter}"{checked}> {options[i]}</label>'
                )
            parts.append("\n")
        elif row.kind == "true_false":
            for value, label in (("true", true_label), ("false", false_label)):
                checked = " checked" if value in answer else ""
                parts.append(
                    f'      <label class="option"><input type="radio" name="q{qid}" '
                    f'value="{value}"{checked}> {label}</label>\n'
                )
        elif row.kind == "fill_in":
            parts.append(
                f'      <input type="text" class="answer-text" name="q{qid}" '
                f'value="{_first(answer)}" aria-label="{your_answer}" autocomplete="off">\n'
            )
        else:
            parts.append(
                f'      <textarea class="answer-text" name="q{qid}" rows="5" '
                f'aria-label="{your_answer}">{_first(answer)}</textarea>\n'
            )
        parts.append("  </fieldset>\n")
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped or rendered HTML


def _first(answer) -> str:
    first = answer[0] if isinstance(answer, list) and answer else ""
    return escape(first) if first else ""
