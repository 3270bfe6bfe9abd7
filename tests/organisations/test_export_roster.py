"""Exporting a roster: the import's own columns, importable again unchanged, formulae inert."""

import csv
import io
from datetime import date

import openpyxl
import pytest
from django.core.management import call_command

from lms.organisations.models import Staff
from lms.organisations.roster.exporting import roster_export
from lms.organisations.roster.importing import roster_import
from tests.factories.organisations import DepartmentFactory, PositionFactory, person
from tests.organisations.files.roster import HEADERS

pytestmark = pytest.mark.django_db
FORMULA = "=cmd|' /C calc'!A0"


@pytest.fixture
def roster(org):
    head_office = DepartmentFactory(organisation=org, name="总部")
    legal = DepartmentFactory(organisation=org, name="法务合规部", parent=head_office)
    clerk = PositionFactory(organisation=org, name="合规专员")
    people = [
        person(
            org,
            department=legal,
            position=clerk,
            employee_number="A001",
            hire_date=date(2021, 5, 4),
        ),
        person(org, department=head_office, employee_number="A002"),
        person(org, employee_number="A003"),
    ]
    people[0].user.phone = "13800001111"
    people[0].user.save()
    left = person(org, employee_number="A004")
    left.status = Staff.Status.LEFT
    left.save()
    return people


def xlsx_rows(data: bytes) -> list[tuple]:
    return list(openpyxl.load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))


def test_xlsx_export_has_the_import_columns(org, roster):
    rows = xlsx_rows(roster_export(organisation=org, file_format="xlsx"))

    assert list(rows[0]) == HEADERS
    first = roster[0]
    assert rows[1] == (
        first.user.full_name,
        "A001",
        "总部/法务合规部",
        "合规专员",
        "2021-05-04",
        first.user.email,
        "13800001111",
    )
    assert [r[1] for r in rows[1:]] == ["A001", "A002", "A003"]  # A004 has left
    assert rows[2][2] == "总部"


def test_csv_export_is_utf8_with_bom(org, roster):
    data = roster_export(organisation=org, file_format="csv")

    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == HEADERS
    assert rows[1][:5] == [
        roster[0].user.full_name,
        "A001",
        "总部/法务合规部",
        "合规专员",
        "2021-05-04",
    ]


@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
def test_importing_an_export_changes_nothing(org, roster, file_format):
    data = roster_export(organisation=org, file_format=file_format)

    result = roster_import(organisation=org, data=data, file_name=f"export.{file_format}")

    assert result.ok, result.problems
    assert (result.created, result.updated, result.unchanged) == (0, 0, 3)


def test_formulae_leave_as_text(org, roster):
    user = roster[1].user
    user.full_name = FORMULA
    user.save()

    xlsx = roster_export(organisation=org, file_format="xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx)).active  # formulas kept as formulas
    cell = next(row[0] for row in sheet.iter_rows() if row[1].value == "A002")
    assert cell.data_type == "s"
    assert not str(cell.value).startswith("=")
    assert "cmd|" in cell.value

    text = roster_export(organisation=org, file_format="csv").decode("utf-8-sig")
    name = next(r[0] for r in csv.reader(io.StringIO(text)) if r[1] == "A002")
    assert not name.startswith("=") and "cmd|" in name


def test_without_the_setting_the_formula_would_survive(org, roster, settings):
    """Shows the test above depends on IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT."""
    settings.IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = False
    user = roster[1].user
    user.full_name = FORMULA
    user.save()

    text = roster_export(organisation=org, file_format="csv").decode("utf-8-sig")
    assert FORMULA in text


def test_export_command(org, roster, tmp_path):
    target = tmp_path / "out.csv"
    call_command("export_roster", "--org", org.credit_code, "--format", "csv", "-o", str(target))

    assert target.read_bytes().decode("utf-8-sig").splitlines()[0] == ",".join(HEADERS)


@pytest.mark.parametrize(
    "payload", ["+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0"]
)
def test_other_formula_triggers_are_inert_in_csv_too(org, roster, payload):
    user = roster[1].user
    user.full_name = payload
    user.save()

    text = roster_export(organisation=org, file_format="csv").decode("utf-8-sig")
    name = next(r[0] for r in csv.reader(io.StringIO(text)) if r[1] == "A002")
    assert name == "'" + payload  # the apostrophe makes Excel and WPS show it as text


def test_a_plus_phone_number_survives_export_and_import(org, roster):
    user = roster[0].user
    user.phone = "+8613800001111"
    user.save()
    data = roster_export(organisation=org, file_format="csv")
    assert "'+8613800001111" in data.decode("utf-8-sig")

    result = roster_import(organisation=org, data=data, file_name="export.csv")

    assert result.ok, result.problems
    assert (result.created, result.updated, result.unchanged) == (0, 0, 3)
    user.refresh_from_db()
    assert user.phone == "+8613800001111"
