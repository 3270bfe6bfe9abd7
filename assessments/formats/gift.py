"""GIFT (Moodle's plain-text format): multiple choice (single and multiple response),
true/false, short answer (as fill-in) and essay (as short answer). Matching and numerical
questions are skipped with their reason. `$CATEGORY:` lines become tags."""

import re

from django.utils.translation import gettext as _

from ..grading import OPTION_LETTERS as LETTERS
from . import ParsedQuestion, ParseResult, Problem
from .media import (
    BARE,
    MediaFiles,
    file_name,
    has_known_media,
    question_file_names,
    text_to_html,
    without_marks,
    without_plugin_files,
)
from .text import clean_text, html_to_text

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
CATEGORY_ROOTS = {"$course$", "$module$", "$system$", "$cat1$", "top"}
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
        body, _names = without_plugin_files(body, _("[image %(name)s]"), _("[file %(name)s]"))
        return html_to_text(body)
    return body


def _blocks(source: str) -> list[tuple[int, str, list[str]]]:
    """Questions separated by blank lines, with the line each starts on and the comment lines
    among its lines (Moodle 4.x writes a question's ID number and tags there)."""
    blocks, current, comments, start = [], [], [], 0
    for number, line in enumerate(source.splitlines(), start=1):
        if line.strip().startswith("//"):
            comments.append(line.strip()[2:].strip())
            continue
        if not line.strip():
            if current:
                blocks.append((start, "\n".join(current), comments))
                current = []
            comments = []
            continue
        if not current:
            start = number
        current.append(line)
    if current:
        blocks.append((start, "\n".join(current), comments))
    return blocks


_COMMENT_FIELD = re.compile(r"^\[(tag|id|hegui):(.*)\]$")


def _comment_fields(comments: list[str]) -> dict[str, list[str]]:
    """`// [tag:…]`, `// [id:…]` (Moodle 4.x) and our `// [hegui:…]` comments of a question."""
    found: dict[str, list[str]] = {"tag": [], "id": [], "hegui": []}
    for comment in comments:
        match = _COMMENT_FIELD.match(comment)
        if match:
            found[match.group(1)].append(_restore(match.group(2)).strip())
    return found


def _category_path(path: str) -> list[str]:
    """The parts of a `$CATEGORY:` path: `/` separates them, `//` is a slash inside a name
    (Moodle's escape); `$course$`, `$module$`, `$system$` and `top` are roots, not names."""
    parts = [p.replace("\ue009", "/") for p in path.replace("//", "\ue009").split("/")]
    return [_restore(p).strip() for p in parts if p.strip() and p.strip() not in CATEGORY_ROOTS]


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
    for line_no, block, comments in _blocks(_protect(source)):
        if block.strip().startswith("$CATEGORY:"):
            category = _category_path(block.strip()[len("$CATEGORY:") :].strip())
            continue
        extra = _comment_fields(comments)
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
            question = _question(stem, answers, text_format, extra["hegui"])
            _hegui_fields(question, extra["hegui"])
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
        question.warnings = [
            _(
                "the file %(name)s is named but not in the file (GIFT cannot hold files): "
                "it was left out"
            )
            % {"name": missing}
            for missing in dict.fromkeys(file_name(ref) for ref in BARE.findall(_restore(body)))
        ]
        question.idnumber = extra["id"][0] if extra["id"] else ""
        question.category = category
        question.tags = list(dict.fromkeys([*category, *extra["tag"]]))
        result.questions.append(question)
    return result


class _Skip(Exception):
    pass


def _hegui_fields(question: ParsedQuestion, fields: list[str]) -> None:
    """Our own fields, in comments Moodle ignores: `difficulty=N`, `reference=…`."""
    for value in fields:
        name, _sep, rest = value.partition("=")
        if name == "difficulty":
            if not rest.isdigit() or not 1 <= int(rest) <= 5:
                raise ValueError(_("difficulty must be 1-5, not '%(value)s'") % {"value": rest})
            question.difficulty = int(rest)
        elif name == "reference":
            question.regulation_reference = rest
        elif name == "answer" and question.kind == "short_answer":
            question.key = [rest] if rest else []


def _number(value: float):
    return int(value) if float(value).is_integer() else value


def _question(stem: str, answers: str, text_format: str, hegui: list[str]) -> ParsedQuestion:
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
    if all(mark == "=" for mark, _text in parts) and any("->" in text for _mark, text in parts):
        raise _Skip(_("matching questions are not supported"))
    options: list[tuple[float, str]] = []
    feedback: list[str] = []
    for mark, raw in parts:
        text, _sep, remark = raw.strip().partition("#")
        weight_match = _WEIGHT.match(text)
        weight = float(weight_match.group(1)) if weight_match else (100.0 if mark == "=" else 0.0)
        text = _clean((text[weight_match.end() :] if weight_match else text).strip(), text_format)
        options.append((weight, text))
        feedback.append(_clean(remark.strip(), text_format))
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
    weights = [_number(w) for w, _t in options]
    if kind == "single" and all(w in (0, 100) for w in weights):
        weights = []  # only the key scores: no partial credit to keep
    if kind == "multiple" and "all-or-nothing" in hegui:
        weights = []
    return ParsedQuestion(
        kind=kind,
        stem=stem,
        options=[t for _w, t in options],
        key=correct,
        explanation=explanation,
        option_weights=weights,
        option_feedback=feedback if any(feedback) else [],
    )


# --- export -------------------------------------------------------------------------------
_WRITE_ESCAPES = str.maketrans(
    {
        "\\": "\\\\",
        "#": "\\#",
        "=": "\\=",
        "~": "\\~",
        "{": "\\{",
        "}": "\\}",
        ":": "\\:",
        "\n": "\\n",
        "\r": "",
    }
)


def _escape(text: str) -> str:
    """Moodle's `repchar`: the reserved characters escaped, line breaks as \\n."""
    return clean_text(text).translate(_WRITE_ESCAPES)


def _write(text: str) -> str:
    """An answer or feedback escaped; one that would read as a format marker ([html]…) is
    marked plain first."""
    text = _escape(text)
    return "[plain]" + text if _FORMAT.match(text) else text


def _ambiguous(text: str) -> bool:
    """An answer beginning with %n% would read as its grade: the grade is then written."""
    return bool(_WEIGHT.match(text.strip()))


def _weight(value) -> str:
    return f"{float(value):.7g}"


def _rich(text: str, names, plain_default: bool) -> str:
    """A text to write: `[html]` with `@@PLUGINFILE@@` references where it shows known media,
    else plain (said as `[plain]` where the question's text is HTML, which answers inherit)."""
    if has_known_media(text, names):
        return "[html]" + _escape(text_to_html(text, names))
    return _write(text) if plain_default else "[plain]" + _escape(text)


def export(questions, *, category: str = "", media: MediaFiles | None = None) -> bytes:
    """GIFT as Moodle writes it: `$CATEGORY:` first (when given), then each question with its
    ID number, tags and our own fields in comments, its name, `[plain]` text (stored text is
    plain), answers with their grades and feedback, and the general feedback after `####`.
    A text showing images or documents of `media` is `[html]` naming them as
    `@@PLUGINFILE@@/NAME`: GIFT cannot hold the files themselves."""
    out: list[str] = []
    media = media or {}
    if category:
        out.append("$CATEGORY: $course$/top/" + _escape(category).replace("/", "//") + "\n")
    for q in questions:
        lines = [f"// question: {getattr(q, 'pk', '') or ''}  name: {_escape(_name(q))}"]
        if getattr(q, "idnumber", ""):
            lines.append(f"// [id:{_escape(q.idnumber)}]")
        lines += [f"// [tag:{_escape(tag)}]" for tag in q.tags]
        lines.append(f"// [hegui:difficulty={q.difficulty}]")
        if q.regulation_reference:
            lines.append(f"// [hegui:reference={_escape(q.regulation_reference)}]")
        weights = list(getattr(q, "option_weights", []) or [])
        if q.kind == "multiple" and not weights:
            lines.append("// [hegui:all-or-nothing]")
        if q.kind == "short_answer" and q.key and q.key[0]:
            lines.append(f"// [hegui:answer={_escape(q.key[0])}]")
        name = getattr(q, "name", "")
        names = question_file_names(
            [q.stem, q.explanation, *q.options, *(getattr(q, "option_feedback", []) or [])],
            media,
        )
        plain = not has_known_media(q.stem, names)
        head = (f"::{_escape(name)}::" if name else "") + (
            f"[plain]{_escape(q.stem)}" if plain else _rich(q.stem, names, False)
        )
        body = _answers(q, weights, names, plain)
        if q.explanation:  # the general feedback, last before the closing brace
            body += (
                "" if body.endswith("\n") or not body else "\n"
            ) + f"\t####{_rich(q.explanation, names, plain)}\n"
        lines.append(head + "{" + body + "}")
        out.append("\n".join(lines) + "\n")
    return "\n".join(out).encode("utf-8")


def _name(q) -> str:
    return getattr(q, "name", "") or " ".join(without_marks(q.stem).split())[:50]


def _answers(q, weights: list, names=None, plain: bool = True) -> str:
    names = names or {}
    if q.kind == "true_false":
        return "TRUE" if q.key == ["true"] else "FALSE"
    if q.kind == "fill_in":
        return (
            "".join(
                f"\n\t={'%100%' if _ambiguous(accepted) else ''}{_rich(accepted, {}, plain)}"
                for accepted in q.key
            )
            + "\n"
        )
    if q.kind == "short_answer":
        return ""  # an essay; the reference answer has no place in GIFT
    feedback = list(getattr(q, "option_feedback", []) or [])
    right = len(q.key)
    wrong = len(q.options) - right
    parts = []
    for index, (letter, option) in enumerate(zip(LETTERS, q.options, strict=False)):
        if weights:
            weight = weights[index]
        elif q.kind == "single":
            weight = 100 if letter in q.key else 0
        else:  # Moodle's own rule for all-or-nothing-ish banks: wrong options cost
            weight = 100 / right if letter in q.key else (-100 / wrong if wrong else 0)
        # a single choice whose options are all right is still a choice, not a fill-in:
        # its last answer says its grade after a ~
        last_of_all_right = q.kind == "single" and right == len(q.options) and index == right - 1
        if q.kind == "single" and weight == 100 and not last_of_all_right:
            mark = "=" + ("%100%" if _ambiguous(option) else "")
        elif weight == 0 and not _ambiguous(option):
            mark = "~"
        else:
            mark = f"~%{_weight(weight)}%"
        remark = feedback[index] if index < len(feedback) and feedback[index] else ""
        parts.append(
            f"\n\t{mark}{_rich(option, names, plain)}"
            + (f"#{_rich(remark, names, plain)}" if remark else "")
        )
    return "".join(parts) + "\n"
