"""A roster import follows the rank rule: it gives no compliance role and changes nobody who
ranks at or above the importer (nor the importer), each a row error; nothing is saved."""

import pytest

from lms.organisations.models import ComplianceRole, Staff
from lms.organisations.roster.importing import roster_import
from tests.factories.organisations import PositionFactory
from tests.organisations.files.roster import person_row, xlsx_bytes
from tests.organisations.tenancy import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return build_world()


def row_for(staff, **overrides):
    values = {
        "姓名": staff.user.full_name,
        "工号": staff.employee_number,
        "部门": staff.department.name if staff.department else "",
        "岗位": staff.position.name if staff.position else "",
        "入职日期": "",
        "邮箱": staff.user.email,
        "手机": "",
    }
    return person_row(0, **{**values, **overrides})


def run(world, rows, actor):
    return roster_import(
        organisation=world.a, data=xlsx_bytes(rows), file_name="roster.xlsx", actor=actor
    )


def snapshot(world):
    return list(Staff.objects.filter(organisation=world.a).order_by("pk").values())


def messages_by_row(result) -> dict[int, str]:
    return {p.row: p.message for p in result.problems}


def test_an_import_gives_no_compliance_role_to_new_or_existing_people(world):
    PositionFactory(
        organisation=world.a,
        name="首席合规官",
        compliance_role=ComplianceRole.CHIEF_COMPLIANCE_OFFICER,
    )
    before = snapshot(world)
    rows = [
        row_for(world.learner_a, 岗位="首席合规官"),
        person_row(7, 岗位="首席合规官"),
        person_row(8, 岗位="admin_part-position"),  # the part-time administrators' position
    ]
    result = run(world, rows, world.admin_a.user)

    problems = messages_by_row(result)
    assert set(problems) == {2, 3, 4}
    assert "合规职务" in problems[2] and "任职" in problems[2]
    assert "合规职务" in problems[3] and "合规职务" in problems[4]
    assert not result.imported
    assert snapshot(world) == before
    assert not Staff.objects.filter(employee_number__in=["E00007", "E00008"]).exists()


def test_an_import_changes_nobody_at_or_above_the_importer_nor_the_importer(world):
    before = snapshot(world)
    rows = [
        row_for(world.head_a, 部门="销售部"),
        row_for(world.admin_a, 手机="13900000000"),
        row_for(world.learner_a, 部门="法务部"),
    ]
    result = run(world, rows, world.admin_a.user)

    problems = messages_by_row(result)
    assert set(problems) == {2, 3}
    assert "职级不低于您" in problems[2]
    assert "您本人" in problems[3]
    assert snapshot(world) == before


def test_the_rows_below_the_importer_import_as_before(world):
    rows = [
        row_for(world.head_a),  # unchanged: nothing to refuse
        row_for(world.part_time_a, 部门="销售部"),
        row_for(world.learner_a, 部门="法务部"),
    ]
    result = run(world, rows, world.admin_a.user)

    assert result.imported, result.problems
    assert (result.updated, result.unchanged) == (2, 1)
    assert Staff.objects.get(pk=world.part_time_a.pk).department == world.departments["sales"]


def test_the_admin_preview_shows_the_row_errors(client, world, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.ROSTER_UPLOAD_DIR = tmp_path / "uploads"
    client.force_login(world.admin_a.user)
    data = xlsx_bytes([row_for(world.head_a, 部门="销售部")])
    response = client.post(
        "/admin/roster/",
        {"organisation": world.a.pk, "file": SimpleUploadedFile("r.xlsx", data)},
        follow=True,
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "职级不低于您" in html
    assert Staff.objects.get(pk=world.head_a.pk).department == world.departments["head_office"]
