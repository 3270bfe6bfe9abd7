"""A tiny workbook that claims row 1,999,999,999 or unpacks to a gigabyte is refused by the one
spreadsheet reader every import uses, with a message saying why, before openpyxl unpacks it;
the roster preview and the question import both show that message."""

import tracemalloc

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from assessments.services.imports import questions_import
from lms.organisations.models import Staff
from lms.spreadsheets import (
    MAX_CELL_CHARACTERS,
    SpreadsheetError,
    last_row_number,
    read_rows,
)
from tests.factories.assessments import make_bank
from tests.factories.hostile_xlsx import claiming_row, with_gigabyte_cell, with_long_cell
from tests.organisations.files.roster import HEADERS, person_row
from tests.organisations.tenancy import build_world

FAR = 1_999_999_999
QUESTION_HEADERS = ["题型", "题干", "选项A", "选项B", "答案"]
QUESTION = ["单选题", "第一题", "甲", "乙", "A"]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def rows_of(data: bytes, **options) -> list[tuple[int, list]]:
    return list(read_rows(data, **options))


def test_a_few_kilobytes_claiming_row_1999999999_are_refused_naming_the_row():
    data = claiming_row([HEADERS, person_row(1)])
    assert len(data) < 6_000
    with pytest.raises(SpreadsheetError) as refused:
        rows_of(data)
    assert refused.value.row == FAR
    assert refused.value.message == (
        "Row 1999999999 is beyond the last row an import reads (row 100000): remove the empty "
        "rows above it or split the file."
    )


def test_a_dimension_claiming_row_1999999999_alone_reads_only_the_real_rows():
    data = claiming_row([HEADERS, [], person_row(3)], cell=False)
    assert rows_of(data) == [(1, HEADERS), (3, person_row(3))]


def test_a_row_within_the_limit_is_read_with_its_own_number():
    data = claiming_row([QUESTION_HEADERS], row=5000, dimension=False)
    assert rows_of(data) == [(1, QUESTION_HEADERS), (5000, ["x"])]
    with pytest.raises(SpreadsheetError, match="Row 5000 is beyond"):
        rows_of(data, max_row=4999)


def test_the_last_row_is_found_as_openpyxl_counts_rows():
    assert last_row_number(b"<sheetData><row><c/></row><row/><row spans='1:2'></row>") == 3
    assert last_row_number(b'<x:row r = "7"/><x:row/><rowBreaks count="1"/>') == 8
    assert last_row_number(b'<row r="' + b"9" * 5000 + b'"/>') == 10**15
    assert last_row_number(b"<sheetData/>") == 0


def test_a_megabyte_that_unpacks_to_a_gigabyte_is_refused_without_unpacking_it():
    data = with_gigabyte_cell()
    assert len(data) < 1_200_000
    tracemalloc.start()
    try:
        with pytest.raises(SpreadsheetError) as refused:
            rows_of(data)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 20 * 1024 * 1024  # the gigabyte was never allocated
    assert refused.value.message == (
        "The workbook cannot be read safely: its part xl/worksheets/sheet1.xml unpacks to "
        "1,024 MB, more than 32 MB. Save the sheet again as a plain .xlsx or CSV file, or "
        "split it."
    )


def test_the_same_kind_of_file_within_the_limits_is_a_real_workbook():
    """The builder makes honest files: a small one reads back its one long cell."""
    data = with_gigabyte_cell(4 << 20)
    with pytest.raises(SpreadsheetError, match="Row 1, column A: the cell holds more than"):
        rows_of(data)


def test_a_cell_longer_than_a_spreadsheet_cell_can_hold_is_a_row_error():
    data = with_long_cell([HEADERS, person_row(1)], characters=MAX_CELL_CHARACTERS + 1, row=3)
    with pytest.raises(SpreadsheetError) as refused:
        rows_of(data)
    assert refused.value.row == 3
    assert refused.value.message == (
        "Row 3, column B: the cell holds more than 32767 characters, the most a spreadsheet "
        "cell can hold."
    )
    fits = with_long_cell([HEADERS], characters=MAX_CELL_CHARACTERS, row=2)
    assert len(rows_of(fits)[1][1][1]) == MAX_CELL_CHARACTERS


@pytest.mark.django_db
def test_the_roster_preview_refuses_the_file_in_chinese_and_imports_nobody(
    client, settings, tmp_path
):
    settings.ROSTER_UPLOAD_DIR = tmp_path / "uploads"
    world = build_world()
    client.force_login(world.admin_a.user)
    staff = Staff.objects.count()
    with translation.override("zh-hans"):
        response = client.post(
            "/admin/roster/",
            {
                "organisation": world.a.pk,
                "file": SimpleUploadedFile("花名册.xlsx", claiming_row([HEADERS, person_row(1)])),
            },
            follow=True,
        )
    html = response.content.decode()
    assert response.status_code == 200
    assert "第 1999999999 行超出了导入读取的最后一行（第 100010 行）" in html
    assert Staff.objects.count() == staff

    response = client.post(
        "/admin/roster/",
        {"organisation": world.a.pk, "file": SimpleUploadedFile("大.xlsx", with_gigabyte_cell())},
        follow=True,
    )
    assert "无法安全读取该工作簿" in response.content.decode()


@pytest.mark.django_db
def test_the_question_import_refuses_both_files_in_chinese_and_imports_nothing(org):
    bank = make_bank(org)
    with translation.override("zh-hans"):
        far = questions_import(
            bank=bank, data=claiming_row([QUESTION_HEADERS, QUESTION]), fmt="xlsx"
        )
        big = questions_import(bank=bank, data=with_gigabyte_cell(), fmt="xlsx")
    assert not far.ok and far.errors[0].position == FAR
    assert "第 1999999999 行超出了导入读取的最后一行（第 100000 行）" in far.errors[0].message
    assert not big.ok and "无法安全读取该工作簿" in big.errors[0].message
    assert bank.questions.count() == 0
