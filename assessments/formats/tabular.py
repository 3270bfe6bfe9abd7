"""Spreadsheets (xlsx, csv) through django-import-export, with Chinese headers:
题型, 题干, 选项A…选项F, 答案, 解析, 标签, 难度 (and 法规依据).

答案 holds option letters for choice questions (e.g. "ACD"), 正确/错误 for true/false, every
accepted answer separated by "|" for fill-in, and a reference answer for a short answer.
"""

import re

from django.utils.translation import gettext as _
from import_export import fields, resources
from import_export.formats import base_formats

from lms.spreadsheets import SpreadsheetError, neutralise_dataset, read_rows, restore_cell

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
OPTION_HEADERS = [f"选项{letter}" for letter in LETTERS]
HEADERS = [H_KIND, H_STEM, *OPTION_HEADERS, H_KEY, H_EXPLANATION, H_TAGS, H_DIFFICULTY, H_REFERENCE]
_TAG_SPLIT = re.compile(r"[,，;；、]")


class QuestionResource(resources.Resource):
    """Export of questions with the Chinese column headers (django-import-export)."""

    kind = fields.Field(column_name=H_KIND)
    stem = fields.Field(attribute="stem", column_name=H_STEM)
    option_a = fields.Field(column_name="选项A")
    option_b = fields.Field(column_name="选项B")
    option_c = fields.Field(column_name="选项C")
    option_d = fields.Field(column_name="选项D")
    option_e = fields.Field(column_name="选项E")
    option_f = fields.Field(column_name="选项F")
    key = fields.Field(column_name=H_KEY)
    explanation = fields.Field(attribute="explanation", column_name=H_EXPLANATION)
    tags = fields.Field(column_name=H_TAGS)
    difficulty = fields.Field(attribute="difficulty", column_name=H_DIFFICULTY)
    regulation_reference = fields.Field(attribute="regulation_reference", column_name=H_REFERENCE)

    def dehydrate_kind(self, q):
        return KIND_LABELS[q.kind]

    def _option(self, q, index):
        return q.options[index] if index < len(q.options) else ""

    def dehydrate_option_a(self, q):
        return self._option(q, 0)

    def dehydrate_option_b(self, q):
        return self._option(q, 1)

    def dehydrate_option_c(self, q):
        return self._option(q, 2)

    def dehydrate_option_d(self, q):
        return self._option(q, 3)

    def dehydrate_option_e(self, q):
        return self._option(q, 4)

    def dehydrate_option_f(self, q):
        return self._option(q, 5)

    def dehydrate_key(self, q):
        if q.kind in ("single", "multiple"):
            return "".join(q.key)
        if q.kind == "true_false":
            return "正确" if q.key == ["true"] else "错误"
        return "|".join(q.key)

    def dehydrate_tags(self, q):
        return "，".join(q.tags)


def export(questions, fmt: str) -> bytes:
    dataset = QuestionResource().export(queryset=list(questions))
    # stored text may hold control characters a spreadsheet cannot: never a failed export
    rows = [tuple(clean_text(c) if isinstance(c, str) else c for c in row) for row in dataset]
    headers = dataset.headers
    dataset.wipe()
    dataset.headers = headers
    for row in rows:
        dataset.append(row)
    if fmt != "xlsx":
        neutralise_dataset(dataset)
    file_format = base_formats.XLSX() if fmt == "xlsx" else base_formats.CSV()
    data = file_format.export_data(dataset)
    return data if isinstance(data, bytes) else ("\ufeff" + data).encode("utf-8")


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return restore_cell(str(value).strip())


def parse(data: bytes, fmt: str) -> ParseResult:
    """Questions from an xlsx or CSV file, read by the one hardened reader
    (`lms.spreadsheets.read_rows`, which tells the two apart by their content); the first
    non-blank row names the columns, and problems name the spreadsheet's own row numbers."""
    result = ParseResult()
    try:
        _parse_rows(read_rows(data), result)
    except SpreadsheetError as exc:
        result.errors.append(Problem(exc.row, exc.message))
    return result


def _parse_rows(rows, result: ParseResult) -> None:
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
        cells = {h: _cell(v) for h, v in zip(headers, values, strict=False) if h}
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
                _("the answer '%(answer)s' must be option letters A-F") % {"answer": raw_key}
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
    )
