"""Reading roster files without the database: formats, encodings, headers, cells, dates."""

from datetime import date, datetime

import pytest
from django.utils import translation

from lms.organisations.roster import reading
from lms.organisations.roster.reading import RosterFileError, check_row, parse_date, read_table
from tests.organisations.files.roster import HEADERS, csv_bytes, person_row, xlsx_bytes

TODAY = date(2026, 6, 1)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def numbers(table) -> list[int]:
    return [number for number, _cells in table.rows]


@pytest.mark.parametrize(
    "value,expected",
    [
        ("2024-03-01", date(2024, 3, 1)),
        ("2024/3/1", date(2024, 3, 1)),
        ("2024.03.01", date(2024, 3, 1)),
        ("20240301", date(2024, 3, 1)),
        ("2024年3月1日", date(2024, 3, 1)),
        ("2024-03-01 00:00:00", date(2024, 3, 1)),
        (datetime(2024, 3, 1), date(2024, 3, 1)),
        (45352, date(2024, 3, 1)),  # an Excel serial number
        (45352.0, date(2024, 3, 1)),
        (20240301, date(2024, 3, 1)),
        ("", None),
        (None, None),
    ],
)
def test_dates_in_the_forms_people_write_them(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize("value", ["03/01/2024", "明年", "2024-3", "1 March 2024"])
def test_unknown_date_formats(value):
    with pytest.raises(ValueError):
        parse_date(value)


def test_header_spellings():
    for text in ["工号", " Employee_Number ", "EMPLOYEE NUMBER", "工号*", "员工编号"]:
        assert reading.HEADER_FIELDS[reading.header_key(text)] == "employee_number"
    assert reading.HEADER_FIELDS[reading.header_key("入职日期（YYYY-MM-DD）")] == "hire_date"
    assert reading.HEADER_FIELDS[reading.header_key("E-mail")] == "email"


@pytest.mark.parametrize("build", [xlsx_bytes, csv_bytes])
def test_row_numbers_are_the_spreadsheets_even_past_blank_rows(build):
    rows = [person_row(1), ["", "", "", "", "", "", ""], person_row(3), person_row(4)]
    table = read_table(build(rows), max_rows=100)

    assert numbers(table) == [2, 4, 5]


def test_the_header_may_sit_under_a_title_row():
    data = xlsx_bytes([["某某公司花名册"], HEADERS, person_row(1)], headers=None)
    table = read_table(data, max_rows=100)

    assert table.header_row == 2 and numbers(table) == [3]


def test_unknown_columns_are_ignored_and_reported():
    data = csv_bytes([[*person_row(1), "x"]], headers=[*HEADERS, "备注"])
    assert read_table(data, max_rows=10).ignored_headers == ["备注"]


@pytest.mark.parametrize(
    "data,message",
    [
        (b"", "The file is empty."),
        (b"  \n ", "The file is empty."),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "Old Excel files (.xls)"),
        (b"%PDF-1.7\n\x00\x01\x02", "This is not a spreadsheet"),
        (b"PK\x03\x04" + b"\x00" * 50, "The workbook cannot be read"),
        (csv_bytes([person_row(1)], headers=None), "No header row was found"),
        (csv_bytes([], headers=HEADERS), "a header row but no people"),
        (csv_bytes([["a", "b"]], headers=["姓名", "工号"]), "Required columns are missing: 邮箱"),
        (csv_bytes([["a", "b", "c"]], headers=["姓名", "工号", "name"]), "appears twice"),
    ],
)
def test_files_that_cannot_be_imported(data, message):
    with pytest.raises(RosterFileError) as error:
        read_table(data, max_rows=100)
    assert message in error.value.message


def test_too_many_rows():
    with pytest.raises(RosterFileError, match="more than 2 people"):
        read_table(csv_bytes([person_row(n) for n in range(3)]), max_rows=2)


def test_a_docx_is_not_a_workbook():
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    with pytest.raises(RosterFileError, match="not a spreadsheet"):
        read_table(out.getvalue(), max_rows=10)


def test_gbk_and_utf8_read_the_same():
    rows = [person_row(1, 姓名="张三", 部门="总部/法务合规部")]
    tables = [read_table(csv_bytes(rows, encoding=e), max_rows=10) for e in ("gbk", "utf-8")]

    assert tables[0].rows == tables[1].rows
    assert tables[0].rows[0][1]["name"] == "张三"


def test_numbers_from_spreadsheet_cells_become_text():
    cells = {"name": "张三", "employee_number": 1001.0, "email": "a@b.cn", "phone": 13800138000}
    row, problems = check_row(2, cells, today=TODAY)

    assert problems == []
    assert (row.employee_number, row.phone) == ("1001", "13800138000")


def test_a_row_reports_every_problem_it_has():
    cells = {
        "name": "",
        "employee_number": "",
        "email": "a@@b",
        "phone": "abc",
        "hire_date": "2026-06-02",
        "department": "x" * 101,
    }
    row, problems = check_row(7, cells, today=TODAY)

    assert row is None
    assert {p.column for p in problems} == {"姓名", "工号", "邮箱", "手机", "入职日期", "部门"}
    assert {p.row for p in problems} == {7}
    assert "in the future" in next(p.message for p in problems if p.column == "入职日期")


def test_a_date_that_does_not_exist():
    _row, problems = check_row(
        3, {"name": "a", "employee_number": "1", "hire_date": "2025-02-29"}, today=TODAY
    )
    assert problems[0].message == "The hire date “2025-02-29” is not a real date."


def test_duplicates_in_the_file_name_the_first_row():
    rows = [
        check_row(n, {"name": "a", "employee_number": num, "email": mail}, today=TODAY)[0]
        for n, num, mail in [(2, "1", "a@x.cn"), (3, "2", "b@x.cn"), (4, "1", "B@x.cn")]
    ]
    problems = reading.check_duplicates(rows)

    assert [(p.row, p.message) for p in problems] == [
        (4, "The employee number 1 is also on row 2."),
        (4, "The e-mail b@x.cn is also used on row 3."),
    ]
