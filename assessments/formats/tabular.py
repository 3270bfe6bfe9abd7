"""Spreadsheets (xlsx, csv) through django-import-export, with Chinese headers:
题型, 题干, 选项A…选项J, 答案, 解析, 标签, 难度 (and 法规依据); optional: 选项分值 (each
option's grade in percent, 50|50|-100: partial credit), 选项A反馈…, 题目名称, 题目编号.

答案 holds option letters for choice questions (e.g. "ACD"), 正确/错误 for true/false, every
accepted answer separated by "|" for fill-in, and a reference answer for a short answer.
"""

import re

from django.utils.translation import gettext as _
from import_export.formats import base_formats
from tablib import Dataset

from lms.spreadsheets import (
    SpreadsheetError,
    neutralise_dataset,
    read_rows,
    restore_cell,
    xlsx_bytes,
)

from ..grading import OPTION_LETTERS as LETTERS
from . import ParsedQuestion, ParseResult, Problem
from .text import clean_text

KIND_LABELS = {
    "single": "单选题",
    "multiple": "多选题",
    "true_false": "判断题",
    "fill_in": "填空题",
    "short_answer": "简答题",
}
KIND_BY_LABEL = {
    **{label: kind for kind, label in KIND_LABELS.items()},
    **{kind: kind for kind in KIND_LABELS},
    "单选": "single",
    "多选": "multiple",
    "判断": "true_false",
    "填空": "fill_in",
    "简答": "short_answer",
}
TRUE_WORDS = {"正确", "对", "是", "√", "t", "true", "y", "yes"}
FALSE_WORDS = {"错误", "错", "否", "×", "f", "false", "n", "no"}
H_KIND, H_STEM, H_KEY, H_EXPLANATION, H_TAGS, H_DIFFICULTY, H_REFERENCE = (
    "题型",
    "题干",
    "答案",
    "解析",
    "标签",
    "难度",
    "法规依据",
)
H_WEIGHTS, H_NAME, H_IDNUMBER = "选项分值", "题目名称", "题目编号"
OPTION_HEADERS = [f"选项{letter}" for letter in LETTERS]
FEEDBACK_HEADERS = [f"选项{letter}反馈" for letter in LETTERS]
_TAG_SPLIT = re.compile(r"[,，;；、]")


def _key_text(q) -> str:
    if q.kind in ("single", "multiple"):
        return "".join(q.key)
    if q.kind == "true_false":
        return "正确" if q.key == ["true"] else "错误"
    return "|".join(q.key)


def _weight_text(weights: list) -> str:
    return "|".join(f"{float(w):.7g}" for w in weights)


def export(questions, fmt: str) -> bytes:
    """The questions as a sheet with the Chinese headers: options A-F always, G-J when a
    question has them; option grades, feedback on each option, name and ID number when any
    question has them (an import reads them back)."""
    questions = list(questions)
    most = max([6, *(len(q.options) for q in questions)])
    feedback_columns = max(
        [0, *(len(q.option_feedback) for q in questions if getattr(q, "option_feedback", None))]
    )
    has = {
        H_WEIGHTS: any(getattr(q, "option_weights", None) for q in questions),
        H_NAME: any(getattr(q, "name", "") for q in questions),
        H_IDNUMBER: any(getattr(q, "idnumber", "") for q in questions),
    }
    headers = [H_KIND, H_STEM, *OPTION_HEADERS[:most], H_KEY, H_EXPLANATION, H_TAGS]
    headers += [H_DIFFICULTY, H_REFERENCE]
    headers += [h for h in (H_WEIGHTS,) if has[h]]
    headers += FEEDBACK_HEADERS[:feedback_columns]
    headers += [h for h in (H_NAME, H_IDNUMBER) if has[h]]
    rows = []
    for q in questions:
        feedback = list(getattr(q, "option_feedback", []) or [])
        values = {
            H_KIND: KIND_LABELS[q.kind],
            H_STEM: q.stem,
            **{
                h: (q.options[i] if i < len(q.options) else "")
                for i, h in enumerate(OPTION_HEADERS)
            },
            H_KEY: _key_text(q),
            H_EXPLANATION: q.explanation,
            H_TAGS: "，".join(q.tags),
            H_DIFFICULTY: q.difficulty,
            H_REFERENCE: q.regulation_reference,
            H_WEIGHTS: _weight_text(getattr(q, "option_weights", []) or []),
            **{
                h: (feedback[i] if i < len(feedback) else "")
                for i, h in enumerate(FEEDBACK_HEADERS)
            },
            H_NAME: getattr(q, "name", ""),
            H_IDNUMBER: getattr(q, "idnumber", ""),
        }
        # stored text may hold control characters a spreadsheet cannot: never a failed export
        rows.append(
            [clean_text(v) if isinstance(v, str) else v for v in (values[h] for h in headers)]
        )
    if fmt == "xlsx":
        return xlsx_bytes(headers, rows)
    dataset = Dataset(headers=headers)
    for row in rows:
        dataset.append(row)
    neutralise_dataset(dataset)
    return ("\ufeff" + base_formats.CSV().export_data(dataset)).encode("utf-8")


def _cell(value, restore: bool = True) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return restore_cell(text) if restore else text


def parse(data: bytes, fmt: str) -> ParseResult:
    """Questions from an xlsx or CSV file, read by the one hardened reader
    (`lms.spreadsheets.read_rows`, which tells the two apart by their content); the first
    non-blank row names the columns, and problems name the spreadsheet's own row numbers."""
    result = ParseResult()
    try:
        # only a CSV file's cells were neutralised ('=…); an xlsx holds typed text as it is
        _parse_rows(read_rows(data), result, restore=not data.startswith(b"PK\x03\x04"))
    except SpreadsheetError as exc:
        result.errors.append(Problem(exc.row, exc.message))
    return result


def _parse_rows(rows, result: ParseResult, restore: bool = True) -> None:
    headers = None
    for number, values in rows:
        if headers is None:
            headers = [_cell(h) for h in values]
            missing = [h for h in (H_KIND, H_STEM, H_KEY) if h not in headers]
            if missing:
                result.errors.append(
                    Problem(
                        number,
                        _("missing columns: %(columns)s") % {"columns": ", ".join(missing)},
                    )
                )
                return
            continue
        cells = {h: _cell(v, restore) for h, v in zip(headers, values, strict=False) if h}
        if not any(cells.values()):
            continue
        try:
            question = _question(cells)
        except ValueError as exc:
            result.errors.append(
                Problem(number, _("row %(row)d: %(problem)s") % {"row": number, "problem": exc})
            )
            continue
        question.position = number
        result.questions.append(question)
    if headers is None:
        result.errors.append(Problem(0, _("The file is empty.")))


def _question(cells: dict) -> ParsedQuestion:
    kind = KIND_BY_LABEL.get(cells.get(H_KIND, ""))
    if kind is None:
        raise ValueError(
            _("unknown question type '%(type)s' (use %(types)s)")
            % {"type": cells.get(H_KIND, ""), "types": ", ".join(KIND_LABELS.values())}
        )
    stem = cells.get(H_STEM, "")
    if not stem:
        raise ValueError(_("the stem is empty"))
    options = [cells.get(h, "") for h in OPTION_HEADERS]
    while options and not options[-1]:
        options.pop()
    raw_key = cells.get(H_KEY, "")
    if kind in ("single", "multiple"):
        if "" in options:
            raise ValueError(_("an option is empty between filled ones"))
        key = [c for c in raw_key.upper() if c in LETTERS]
        if not key or len(key) != len(re.sub(r"[\s,，、]", "", raw_key)):
            raise ValueError(
                _("the answer '%(answer)s' must be option letters A-J") % {"answer": raw_key}
            )
        if any(LETTERS.index(k) >= len(options) for k in key):
            raise ValueError(
                _("the answer '%(answer)s' names an option that is empty") % {"answer": raw_key}
            )
    elif kind == "true_false":
        word = raw_key.lower()
        if word in TRUE_WORDS:
            key = ["true"]
        elif word in FALSE_WORDS:
            key = ["false"]
        else:
            raise ValueError(
                _("the answer '%(answer)s' must be 正确 or 错误") % {"answer": raw_key}
            )
        options = []
    elif kind == "fill_in":
        key = [k.strip() for k in re.split(r"[|｜]", raw_key) if k.strip()]
        if not key:
            raise ValueError(_("a fill-in question needs at least one accepted answer"))
        options = []
    else:
        key = [raw_key] if raw_key else []
        options = []
    weights: list = []
    feedback: list[str] = []
    if kind in ("single", "multiple"):
        weights = _weights(cells.get(H_WEIGHTS, ""), len(options))
        feedback = [cells.get(h, "") for h in FEEDBACK_HEADERS[: len(options)]]
    difficulty = cells.get(H_DIFFICULTY, "") or "3"
    if not difficulty.isdigit() or not 1 <= int(difficulty) <= 5:
        raise ValueError(_("difficulty must be 1-5, not '%(value)s'") % {"value": difficulty})
    return ParsedQuestion(
        kind=kind,
        stem=stem,
        options=options,
        key=key,
        explanation=cells.get(H_EXPLANATION, ""),
        tags=[t.strip() for t in _TAG_SPLIT.split(cells.get(H_TAGS, "")) if t.strip()],
        difficulty=int(difficulty),
        regulation_reference=cells.get(H_REFERENCE, ""),
        option_weights=weights,
        option_feedback=feedback if any(feedback) else [],
        name=cells.get(H_NAME, ""),
        idnumber=cells.get(H_IDNUMBER, ""),
    )


def _weights(text: str, count: int) -> list:
    """选项分值: each option's grade in percent, separated by | (e.g. 50|50|-100)."""
    if not text.strip():
        return []
    parts = [p.strip() for p in re.split(r"[|｜]", text)]
    try:
        values = [float(p) for p in parts]
    except ValueError:
        raise ValueError(
            _("the option grades '%(value)s' must be numbers separated by |") % {"value": text}
        ) from None
    if len(values) != count:
        raise ValueError(
            _("there are %(grades)d option grades for %(options)d options")
            % {"grades": len(values), "options": count}
        )
    return [int(v) if v.is_integer() else v for v in values]
