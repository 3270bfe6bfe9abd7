"""Reading a roster file into checked rows, without the database.

A roster is an xlsx workbook (first sheet) or a CSV file in UTF-8 (with or without BOM) or GBK.
Its header row holds Chinese (姓名, 工号, 部门, 岗位, 入职日期, 邮箱, 手机) or English column
names, in any order and case. Row numbers are the ones the user sees in the spreadsheet: the
first row of the sheet is row 1.
"""

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from lms.refusals import Refused
from lms.spreadsheets import SpreadsheetError, read_rows, restore_cell

NAME, EMPLOYEE_NUMBER, DEPARTMENT, POSITION, HIRE_DATE, EMAIL, PHONE = (
    "name",
    "employee_number",
    "department",
    "position",
    "hire_date",
    "email",
    "phone",
)
FIELDS = (NAME, EMPLOYEE_NUMBER, DEPARTMENT, POSITION, HIRE_DATE, EMAIL, PHONE)
REQUIRED_FIELDS = (NAME, EMPLOYEE_NUMBER, EMAIL)
CHINESE_HEADERS = {
    NAME: "姓名",
    EMPLOYEE_NUMBER: "工号",
    DEPARTMENT: "部门",
    POSITION: "岗位",
    HIRE_DATE: "入职日期",
    EMAIL: "邮箱",
    PHONE: "手机",
}
ENGLISH_HEADERS = {
    NAME: "name",
    EMPLOYEE_NUMBER: "employee number",
    DEPARTMENT: "department",
    POSITION: "position",
    HIRE_DATE: "hire date",
    EMAIL: "email",
    PHONE: "phone",
}
_ALIASES = {
    NAME: ["full name", "名字"],
    EMPLOYEE_NUMBER: [
        "employee no",
        "employee id",
        "staff number",
        "员工编号",
        "员工号",
        "工号号码",
    ],
    DEPARTMENT: ["dept", "所属部门"],
    POSITION: ["job title", "title", "职位", "职务"],
    HIRE_DATE: ["hired", "hire", "start date", "入职时间"],
    EMAIL: ["e-mail", "mail", "电子邮箱", "邮件", "电子邮件"],
    PHONE: ["mobile", "mobile phone", "手机号", "手机号码", "电话", "联系电话"],
}
DEPARTMENT_SEPARATORS = re.compile(r"\s*[/／]\s*")
MAX_LENGTHS = {NAME: 100, EMPLOYEE_NUMBER: 50, DEPARTMENT: 100, POSITION: 100, PHONE: 20}
_PHONE = re.compile(r"^\+?[0-9][0-9 ()\-]*$")
# The header may sit under a title row or two ("XX公司花名册"): it is looked for this far down.
HEADER_SEARCH_ROWS = 10


def header_key(text) -> str:
    """A header reduced to what matters: no case, spaces, underscores, hyphens, required-marks
    or notes in brackets, so "Employee_Number", " 工号* " and "入职日期（YYYY-MM-DD）" match."""
    text = str(text or "").strip().lower()
    text = re.sub(r"[(（\[【].*?[)）\]】]", "", text)
    return re.sub(r"[\s_\-*＊:：]", "", text)


HEADER_FIELDS = {
    header_key(h): f for f in FIELDS for h in [CHINESE_HEADERS[f], ENGLISH_HEADERS[f], *_ALIASES[f]]
}


class RosterFileError(Refused):
    """The file cannot be imported; the message says why, for the user (`row`: the spreadsheet
    row it is about, 0 for the file as a whole)."""

    def __init__(self, message: str, row: int = 0):
        super().__init__(message)
        self.row = row


@dataclass
class Problem:
    """One reason a row (or, with row 0, the file) cannot be imported."""

    row: int
    message: str
    column: str = ""
    value: str = ""


@dataclass(frozen=True)
class RosterRow:
    """A row whose every cell is well-formed; `None` (or `()`) means the cell was blank."""

    row: int
    name: str
    employee_number: str
    department_path: tuple[str, ...]
    position: str | None
    hire_date: date | None
    email: str | None
    phone: str | None


@dataclass
class RosterTable:
    header_row: int
    columns: dict[str, int]
    ignored_headers: list[str]
    rows: list[tuple[int, dict[str, object]]] = field(default_factory=list)


# --- the file -------------------------------------------------------------------------------
def read_table(data: bytes, *, max_rows: int) -> RosterTable:
    """The header and the non-blank rows of a roster file, with their spreadsheet row numbers.

    The file is read by the one hardened reader (`lms.spreadsheets.read_rows`): a workbook that
    would unpack too large or claims rows far beyond the people it may hold is refused."""
    try:
        return _read_table(data, max_rows=max_rows)
    except SpreadsheetError as exc:
        raise RosterFileError(exc.message, row=exc.row) from exc


def _read_table(data: bytes, *, max_rows: int) -> RosterTable:
    # room for a title, the header and a blank row between every two people
    lines = read_rows(data, max_row=2 * max_rows + HEADER_SEARCH_ROWS)
    header_row, columns, ignored = _find_header(lines)
    table = RosterTable(header_row=header_row, columns=columns, ignored_headers=ignored)
    for number, cells in lines:
        if number <= header_row:
            continue
        values = {f: cells[i] if i < len(cells) else None for f, i in columns.items()}
        if all(_text(v) == "" for v in values.values()):
            continue
        table.rows.append((number, values))
        if len(table.rows) > max_rows:
            raise RosterFileError(
                _("The file has more than %(max)d people; split it into smaller files.")
                % {"max": max_rows}
            )
    if not table.rows:
        raise RosterFileError(_("The file has a header row but no people under it."))
    return table


def _find_header(lines: Iterator[tuple[int, list]]) -> tuple[int, dict[str, int], list[str]]:
    best = None
    for number, cells in lines:
        if number > HEADER_SEARCH_ROWS:
            break
        keys = [header_key(c) for c in cells]
        found = [k for k in keys if k in HEADER_FIELDS]
        if len(found) >= 2:
            best = (number, cells)
            break
    if best is None:
        raise RosterFileError(
            _("No header row was found: the first row must name the columns, e.g. %(headers)s.")
            % {"headers": "、".join(CHINESE_HEADERS.values())}
        )
    number, cells = best
    columns: dict[str, int] = {}
    ignored: list[str] = []
    for index, cell in enumerate(cells):
        label = _text(cell)
        target = HEADER_FIELDS.get(header_key(cell))
        if target is None:
            if label:
                ignored.append(label)
            continue
        if target in columns:
            raise RosterFileError(
                _("The column %(column)s appears twice in the header row.")
                % {"column": CHINESE_HEADERS[target]}
            )
        columns[target] = index
    missing = [CHINESE_HEADERS[f] for f in REQUIRED_FIELDS if f not in columns]
    if missing:
        raise RosterFileError(
            _("Required columns are missing: %(columns)s.") % {"columns": "、".join(missing)}
        )
    return number, columns, ignored


# --- the cells ------------------------------------------------------------------------------
def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime) and value.time() == datetime.min.time():
        value = value.date()
    return restore_cell(str(value).replace("\u3000", " ").strip())


_DATE_PATTERNS = [
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]0{1,2}:0{2}(?::0{2})?)?$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
]
_EXCEL_EPOCH = date(1899, 12, 30)


class _BadDate(ValueError):
    pass


def parse_date(value) -> date | None:
    """A hire date from a cell: a spreadsheet date, an Excel serial number or text such as
    2024-03-01, 2024/3/1, 2024.3.1, 20240301 or 2024年3月1日. Raises ValueError (unknown format)
    or _BadDate (a format we know, but no such day)."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, int) and 19000101 <= value <= 99991231:
            return parse_date(str(value))
        if 1 <= value < 2958466:
            return _EXCEL_EPOCH + timedelta(days=int(value))
        raise _BadDate(value)
    text = _text(value)
    if not text:
        return None
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            year, month, day = (int(part) for part in match.groups())
            try:
                return date(year, month, day)
            except ValueError as exc:
                raise _BadDate(text) from exc
    raise ValueError(text)


def check_row(row: int, cells: dict[str, object], *, today: date) -> tuple[RosterRow | None, list]:
    """The row's cells checked one by one: a RosterRow, or None and the problems found."""
    problems: list[Problem] = []

    def problem(column: str, message: str, value="") -> None:
        problems.append(Problem(row, message, CHINESE_HEADERS[column], _text(value)))

    text = {f: _text(cells.get(f)) for f in FIELDS}
    for column, limit in MAX_LENGTHS.items():
        if column != DEPARTMENT and len(text[column]) > limit:
            problem(
                column,
                _("%(column)s is longer than %(max)d characters.")
                % {"column": CHINESE_HEADERS[column], "max": limit},
                text[column][:50],
            )
    if not text[NAME]:
        problem(NAME, _("The name is missing."))
    if not text[EMPLOYEE_NUMBER]:
        problem(EMPLOYEE_NUMBER, _("The employee number is missing."))
    email = text[EMAIL].lower() or None
    if email:
        try:
            validate_email(email)
        except ValidationError:
            problem(
                EMAIL, _("“%(value)s” is not a valid e-mail address.") % {"value": email}, email
            )
    phone = text[PHONE] or None
    if phone and not _PHONE.match(phone):
        problem(
            PHONE,
            _("“%(value)s” is not a phone number (digits, spaces, + and - only).")
            % {"value": phone},
            phone,
        )
    department_path = tuple(p for p in DEPARTMENT_SEPARATORS.split(text[DEPARTMENT]) if p)
    for part in department_path:
        if len(part) > MAX_LENGTHS[DEPARTMENT]:
            problem(
                DEPARTMENT,
                _("The department name “%(value)s…” is longer than %(max)d characters.")
                % {"value": part[:20], "max": MAX_LENGTHS[DEPARTMENT]},
                part[:50],
            )
    hire_date = None
    raw_date = cells.get(HIRE_DATE)
    try:
        hire_date = parse_date(raw_date)
    except _BadDate:
        problem(
            HIRE_DATE,
            _("The hire date “%(value)s” is not a real date.") % {"value": _text(raw_date)},
            raw_date,
        )
    except ValueError:
        problem(
            HIRE_DATE,
            _("The hire date “%(value)s” is in an unknown format: write it as YYYY-MM-DD.")
            % {"value": _text(raw_date)},
            raw_date,
        )
    if hire_date and hire_date > today:
        problem(
            HIRE_DATE,
            _("The hire date %(value)s is in the future.") % {"value": hire_date.isoformat()},
            hire_date.isoformat(),
        )
    elif hire_date and hire_date.year < 1900:
        problem(
            HIRE_DATE,
            _("The hire date “%(value)s” is not a real date.") % {"value": hire_date.isoformat()},
            hire_date.isoformat(),
        )
    if problems:
        return None, problems
    return (
        RosterRow(
            row=row,
            name=text[NAME],
            employee_number=text[EMPLOYEE_NUMBER],
            department_path=department_path,
            position=text[POSITION] or None,
            hire_date=hire_date,
            email=email,
            phone=phone,
        ),
        [],
    )


def check_duplicates(rows: Iterable[RosterRow]) -> list[Problem]:
    """Employee numbers and e-mails that appear more than once in the file."""
    problems = []
    seen_numbers: dict[str, int] = {}
    seen_emails: dict[str, int] = {}
    for r in rows:
        first = seen_numbers.setdefault(r.employee_number, r.row)
        if first != r.row:
            problems.append(
                Problem(
                    r.row,
                    _("The employee number %(value)s is also on row %(first)d.")
                    % {"value": r.employee_number, "first": first},
                    CHINESE_HEADERS[EMPLOYEE_NUMBER],
                    r.employee_number,
                )
            )
        if r.email:
            first = seen_emails.setdefault(r.email, r.row)
            if first != r.row:
                problems.append(
                    Problem(
                        r.row,
                        _("The e-mail %(value)s is also used on row %(first)d.")
                        % {"value": r.email, "first": first},
                        CHINESE_HEADERS[EMAIL],
                        r.email,
                    )
                )
    return problems
