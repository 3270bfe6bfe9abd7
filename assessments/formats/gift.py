"""GIFT (Moodle's plain-text format): multiple choice (single and multiple response),
true/false, short answer (as fill-in) and essay (as short answer). Matching and numerical
questions are skipped with their reason. `$CATEGORY:` lines become tags."""

import re

from django.utils.translation import gettext as _

from ..grading import OPTION_LETTERS as LETTERS
from . import ParsedQuestion, ParseResult, Problem
from .text import html_to_text

# Moodle's escapes: each escaped character is held as a private-use mark while the question is
# taken apart, then restored (`\\n` becomes a line break).
_ESCAPED = {
    ":": "\ue001",
    "~": "\ue002",
    "=": "\ue003",
    "#": "\ue004",
    "{": "\ue005",
    "}": "\ue006",
    "\\": "\ue007",
    "n": "\ue008",
}
_RESTORE = {mark: ("\n" if char == "n" else char) for char, mark in _ESCAPED.items()}
_ESCAPE = re.compile(r"\\([:~=#{}\\n])")
_FORMAT = re.compile(r"^\s*\[(html|moodle|plain|markdown)\]", re.I)
_WEIGHT = re.compile(r"^%(-?\d+(?:\.\d+)?)%")


def _protect(text: str) -> str:
    return _ESCAPE.sub(lambda m: _ESCAPED[m.group(1)], text)


def _restore(text: str) -> str:
    for mark, char in _RESTORE.items():
        text = text.replace(mark, char)
    return text


def _text_format(text: str, default: str = "moodle") -> str:
    """The format a `[html]`-style marker names, else the default (Moodle: answers and feedback
    inherit the question text's format)."""
    fmt = _FORMAT.match(text)
    return fmt.group(1).lower() if fmt else default


def _clean(text: str, default: str = "moodle") -> str:
    fmt = _FORMAT.match(text)
    body = text[fmt.end() :] if fmt else text
    body = _restore(body).strip()
    if _text_format(text, default) == "html":
        return html_to_text(body)
    return body


def _blocks(source: str) -> list[tuple[int, str]]:
    """Questions separated by blank lines, with the line each starts on; comments dropped."""
    blocks, current, start = [], [], 0
    for number, line in enumerate(source.splitlines(), start=1):
        if line.strip().startswith("//"):
            continue
        if not line.strip():
            if current:
                blocks.append((start, "\n".join(current)))
                current = []
            continue
        if not current:
            start = number
        current.append(line)
    if current:
        blocks.append((start, "\n".join(current)))
    return blocks


def parse(data: bytes) -> ParseResult:
    result = ParseResult()
    try:
        source = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            source = data.decode("gb18030")  # Notepad's "ANSI" on a Chinese Windows
        except UnicodeDecodeError:
            result.errors.append(Problem(0, _("the file is neither UTF-8 nor GBK text")))
            return result
    category: list[str] = []
    position = 0
    for line_no, block in _blocks(_protect(source)):
        if block.strip().startswith("$CATEGORY:"):
            path = block.strip()[len("$CATEGORY:") :].strip()
            category = [
                _restore(p).strip() for p in path.split("/") if p and p not in ("$course$", "top")
            ]
            continue
        position += 1
        name = ""
        title = re.match(r"^\s*::(.*?)::", block, re.S)
        body = block[title.end() :] if title else block
        if title:
            name = _restore(title.group(1)).strip()
        opened, closed = body.find("{"), body.rfind("}")
        if opened < 0 and closed < 0:
            # Moodle's "description": text shown between questions, not itself a question.
            result.skipped.append(
                Problem(position, _("a description (text without answers) is not a question"), name)
            )
            continue
        if opened < 0 or closed < opened or body.count("{") != body.count("}"):
            result.errors.append(
                Problem(
                    position,
                    _("line %(line)d: the answer braces { } do not match") % {"line": line_no},
                    name,
                )
            )
            continue
        after = body[closed + 1 :].strip()
        # Text after the answers continues the stem (the "missing word" form).
        # Moodle: text after the answers makes a "missing word" question, the blank in place
        stem_text = body[:opened] + ("_____" + body[closed + 1 :] if after else "")
        text_format = _text_format(stem_text.strip())
        stem = _clean(stem_text.strip())
        answers = body[opened + 1 : closed]
        try:
            question = _question(stem, answers, text_format)
        except _Skip as skip:
            result.skipped.append(Problem(position, str(skip), name))
            continue
        except ValueError as exc:
            result.errors.append(
                Problem(
                    position,
                    _("line %(line)d: %(problem)s") % {"line": line_no, "problem": exc},
                    name,
                )
            )
            continue
        if not question.stem:
            result.errors.append(
                Problem(
                    position,
                    _("line %(line)d: the question text is empty") % {"line": line_no},
                    name,
                )
            )
            continue
        question.position = position
        question.name = name
        question.tags = list(dict.fromkeys([*category, *question.tags]))
        result.questions.append(question)
    return result


class _Skip(Exception):
    pass


def _split_feedback(text: str) -> str:
    return text.split("#")[0]


def _question(stem: str, answers: str, text_format: str) -> ParsedQuestion:
    general = ""
    if "####" in answers:
        answers, general = answers.rsplit("####", 1)
    explanation = _clean(general.strip(), text_format)
    body = answers.strip()
    if not body:
        return ParsedQuestion(kind="short_answer", stem=stem, explanation=explanation)
    if body.startswith("#"):
        raise _Skip(_("numerical questions are not supported"))
    head = body.split("#")[0].strip().upper()
    if head in ("T", "TRUE", "F", "FALSE"):
        return ParsedQuestion(
            kind="true_false",
            stem=stem,
            key=["true" if head.startswith("T") else "false"],
            explanation=explanation,
        )
    parts = re.findall(r"([=~])([^=~]*)", body)
    if not parts:
        raise ValueError(_("no answers found between { }"))
    if any("->" in text for _mark, text in parts):
        raise _Skip(_("matching questions are not supported"))
    options: list[tuple[float, str]] = []
    for mark, raw in parts:
        text = _split_feedback(raw).strip()
        weight_match = _WEIGHT.match(text)
        weight = float(weight_match.group(1)) if weight_match else (100.0 if mark == "=" else 0.0)
        text = _clean((text[weight_match.end() :] if weight_match else text).strip(), text_format)
        options.append((weight, text))
    if all(mark == "=" for mark, _raw in parts):
        accepted = [t for w, t in options if w >= 100 and t]
        if not accepted:
            raise ValueError(_("no accepted answer is worth 100%"))
        return ParsedQuestion(kind="fill_in", stem=stem, key=accepted, explanation=explanation)
    if len(options) > len(LETTERS):
        raise ValueError(_("a question has at most ten answers"))
    if any(not t for _w, t in options):
        raise ValueError(_("an answer is empty"))
    if any(mark == "=" for mark, _raw in parts):
        # Moodle: an '=' answer makes a single choice; every answer worth 100% is right and
        # partial-credit answers stay wrong options of it
        kind = "single"
        correct = [LETTERS[i] for i, (w, _t) in enumerate(options) if w >= 100]
    else:
        kind = "multiple"
        correct = [LETTERS[i] for i, (w, _t) in enumerate(options) if w > 0]
    if not correct:
        raise ValueError(_("no answer is marked correct"))
    return ParsedQuestion(
        kind=kind, stem=stem, options=[t for _w, t in options], key=correct, explanation=explanation
    )
