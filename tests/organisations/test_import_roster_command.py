"""`manage.py import_roster`: people, departments and positions from a file, all or nothing."""

from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.utils import translation

from lms.audit.models import AuditEntry
from lms.organisations import roles
from lms.organisations.models import ComplianceRole, Department, Position, Staff
from lms.organisations.roster.importing import roster_import
from lms.organisations.services import staff_save
from lms.organisations.signals import roster_changed
from tests.factories.organisations import OrganisationFactory, person
from tests.organisations.files.roster import (
    ENGLISH_HEADERS,
    csv_bytes,
    person_row,
    xlsx_bytes,
)

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def signals_sent():
    sent = []

    def receiver(sender, **kwargs):
        sent.append(kwargs)

    roster_changed.connect(receiver, dispatch_uid="test_import_roster")
    yield sent
    roster_changed.disconnect(dispatch_uid="test_import_roster")


def run(tmp_path, org, data: bytes, *args, name="roster.xlsx"):
    path = tmp_path / name
    path.write_bytes(data)
    with translation.override("zh-hans"):
        call_command("import_roster", str(path), "--org", org.credit_code, *args)


def fails(tmp_path, org, data, capsys, *args, name="roster.xlsx") -> str:
    with pytest.raises(CommandError) as error:
        run(tmp_path, org, data, *args, name=name)
    assert "没有导入任何数据" in str(error.value)
    return capsys.readouterr().err


def test_a_new_roster_creates_people_departments_and_positions(tmp_path, org, signals_sent, capsys):
    run(tmp_path, org, xlsx_bytes([person_row(n) for n in range(1, 7)]))

    assert "新建 6" in capsys.readouterr().out
    staff = Staff.objects.filter(organisation=org).select_related("user", "department__parent")
    assert staff.count() == 6
    first = staff.get(employee_number="E00001")
    assert first.user.full_name == "员工1"
    assert first.user.email == "staff1@example.cn"
    assert first.user.phone == "13800000001"
    assert not first.user.has_usable_password()
    assert first.hire_date == date(2023, 3, 1)
    assert first.department.name == "法务合规部"
    assert first.department.parent.name == "总部"
    assert first.department.parent.parent is None
    assert set(Department.objects.filter(organisation=org).values_list("name", flat=True)) == {
        "总部",
        "法务合规部",
        "销售部",
    }
    assert set(Position.objects.filter(organisation=org).values_list("name", flat=True)) == {
        "专员",
        "经理",
    }
    assert set(first.user.groups.values_list("name", flat=True)) == {roles.LEARNER}
    assert len(signals_sent) == 1
    assert signals_sent[0]["organisation"] == org
    assert sorted(signals_sent[0]["staff_ids"]) == sorted(staff.values_list("pk", flat=True))
    summary = AuditEntry.objects.get(action="roster.import")
    assert summary.organisation == org
    assert summary.data["file"] == "roster.xlsx"
    assert (summary.data["created"], summary.data["updated"]) == (6, 0)
    assert AuditEntry.objects.filter(action="staff.create", organisation=org).count() == 6


def test_importing_the_same_file_again_changes_nothing(tmp_path, org, signals_sent, capsys):
    data = xlsx_bytes([person_row(n) for n in range(1, 11)])
    run(tmp_path, org, data)
    capsys.readouterr()
    signals_sent.clear()
    before = AuditEntry.objects.count()

    run(tmp_path, org, data)

    assert "新建 0，更新 0，未变 10" in capsys.readouterr().out
    assert signals_sent == []
    assert Staff.objects.filter(organisation=org).count() == 10
    # only the summary of the second import
    assert AuditEntry.objects.count() == before + 1


def test_changes_update_people_and_their_roles(tmp_path, org, signals_sent, capsys):
    run(tmp_path, org, xlsx_bytes([person_row(1), person_row(2), person_row(3)]))
    part_time = Position.objects.create(
        organisation=org, name="兼职合规管理员", compliance_role=ComplianceRole.ADMIN_PART_TIME
    )
    two = Staff.objects.get(organisation=org, employee_number="E00002")
    two.position = part_time
    staff_save(staff=two)
    assert roles.COMPLIANCE_ADMIN in two.user.groups.values_list("name", flat=True)
    signals_sent.clear()

    changed = [
        person_row(1, 姓名="员工一", 手机="13911112222"),
        person_row(2, 部门="总部/审计部", 岗位="审计专员", 入职日期="2022/1/5"),
        person_row(3),
    ]
    run(tmp_path, org, xlsx_bytes(changed))

    assert "新建 0，更新 2，未变 1" in capsys.readouterr().out
    one = Staff.objects.select_related("user").get(organisation=org, employee_number="E00001")
    assert (one.user.full_name, one.user.phone) == ("员工一", "13911112222")
    two = Staff.objects.select_related("user").get(organisation=org, employee_number="E00002")
    assert two.department.name == "审计部" and two.department.parent.name == "总部"
    assert two.position.name == "审计专员"
    assert two.hire_date == date(2022, 1, 5)
    # Out of the part-time administrator's position, out of the role (a role is never imported).
    assert roles.COMPLIANCE_ADMIN not in two.user.groups.values_list("name", flat=True)
    assert not two.user.is_staff
    assert sorted(signals_sent[0]["staff_ids"]) == sorted([one.pk, two.pk])
    update = (
        AuditEntry.objects.filter(action="staff.update", object_id=str(two.pk))
        .order_by("pk")
        .last()
    )
    assert update.data["changes"]["position"] == ["兼职合规管理员", "审计专员"]


def test_blank_cells_leave_existing_values_alone(tmp_path, org, capsys):
    run(tmp_path, org, xlsx_bytes([person_row(1)]))
    run(tmp_path, org, xlsx_bytes([person_row(1, 部门="", 岗位="", 入职日期="", 邮箱="", 手机="")]))

    assert "未变 1" in capsys.readouterr().out
    one = Staff.objects.select_related("user").get(organisation=org, employee_number="E00001")
    assert one.department.name == "法务合规部" and one.position.name == "专员"


ODD_HEADERS = [
    " employee_NUMBER ",
    "NAME",
    "department",
    "POSITION",
    "hire date",
    "E-mail",
    "phone",
]
TWO = [person_row(1), person_row(2)]


@pytest.mark.parametrize(
    "data,name",
    [
        (csv_bytes(TWO, encoding="utf-8"), "plain.csv"),
        (csv_bytes(TWO, encoding="utf-8-sig"), "bom.csv"),
        (csv_bytes(TWO, encoding="gbk"), "gbk.csv"),
        (csv_bytes(TWO, headers=ENGLISH_HEADERS, encoding="gbk"), "english.csv"),
        # the first two columns swapped, headers in odd case and spacing
        (xlsx_bytes([[r[1], r[0], *r[2:]] for r in TWO], headers=ODD_HEADERS), "odd.xlsx"),
    ],
)
def test_csv_encodings_and_header_spellings(tmp_path, org, data, name):
    run(tmp_path, org, data, name=name)

    people = dict(
        Staff.objects.filter(organisation=org).values_list("employee_number", "user__full_name")
    )
    assert people == {"E00001": "员工1", "E00002": "员工2"}
    assert Department.objects.get(organisation=org, name="法务合规部").parent.name == "总部"


def test_dry_run_reports_and_changes_nothing(tmp_path, org, signals_sent, capsys):
    run(tmp_path, org, xlsx_bytes([person_row(n) for n in range(1, 4)]), "--dry-run")

    assert "试运行" in capsys.readouterr().out
    assert not Staff.objects.filter(organisation=org).exists()
    assert not Department.objects.filter(organisation=org).exists()
    assert not User.objects.filter(email="staff1@example.cn").exists()
    assert signals_sent == []


def test_every_bad_row_is_named_and_nothing_changes(tmp_path, org, signals_sent, capsys):
    other = OrganisationFactory()
    taken = person(other)
    future = (date.today() + timedelta(days=30)).isoformat()
    rows = [
        person_row(1),
        person_row(2, 姓名=""),
        person_row(3, 工号="E00001"),
        person_row(4, 邮箱="staff1@example.cn"),
        person_row(5, 邮箱="not-an-email"),
        person_row(6, 入职日期=future),
        person_row(7, 入职日期="2023-02-30"),
        person_row(8, 入职日期="03/01/2023"),
        person_row(9, 邮箱=taken.user.email),
        person_row(10, 邮箱=""),
        person_row(11, 手机="call me"),
    ]
    err = fails(tmp_path, org, xlsx_bytes(rows), capsys)

    expected = {
        3: "姓名",
        4: "工号 E00001 也出现在第 2 行",
        5: "也出现在第 2 行",
        6: "不是有效的电子邮箱",
        7: "晚于今天",
        8: "不是真实存在的日期",
        9: "格式无法识别",
        10: "已被另一个人的账号使用",
        11: "新人员需要电子邮箱",
        12: "不是电话号码",
    }
    for row, text in expected.items():
        line = next((line for line in err.splitlines() if line.startswith(f"第 {row} 行")), "")
        assert text in line, (row, err)
    assert "第 2 行" not in [line[:4] for line in err.splitlines()]
    assert not Staff.objects.filter(organisation=org).exists()
    assert not Department.objects.filter(organisation=org).exists()
    assert not User.objects.filter(email="staff1@example.cn").exists()
    assert signals_sent == []
    assert not AuditEntry.objects.filter(action="roster.import").exists()


def test_an_existing_persons_email_is_not_changed_by_import(tmp_path, org, capsys):
    run(tmp_path, org, xlsx_bytes([person_row(1)]))
    err = fails(tmp_path, org, xlsx_bytes([person_row(1, 邮箱="new@example.cn")]), capsys)

    assert "第 2 行" in err and "staff1@example.cn" in err
    assert User.objects.filter(email="staff1@example.cn").exists()


def test_a_position_that_needs_an_exam_is_not_given_by_import(tmp_path, org, capsys):
    Position.objects.create(organisation=org, name="合规负责人", needs_pre_appointment_exam=True)
    err = fails(tmp_path, org, xlsx_bytes([person_row(1, 岗位="合规负责人")]), capsys)

    assert "第 2 行" in err and "任前考试" in err


def test_department_paths_must_agree(tmp_path, org, capsys):
    rows = [
        person_row(1, 部门="总部/法务合规部"),
        person_row(2, 部门="分公司/法务合规部"),
        person_row(3, 部门="甲/乙"),
        person_row(4, 部门="乙/甲"),
    ]
    err = fails(tmp_path, org, xlsx_bytes(rows), capsys)

    assert "第 3 行" in err and "总部" in err
    assert "第 5 行" in err and "下级部门" in err


def test_file_level_problems(tmp_path, org, capsys):
    assert "文件是空的" in fails(tmp_path, org, b"", capsys)
    assert "不是电子表格" in fails(tmp_path, org, b"%PDF-1.4\x00\x00binary", capsys)
    assert "表头" in fails(tmp_path, org, xlsx_bytes([person_row(1)], headers=None), capsys)
    no_email = csv_bytes([["张三", "E1"]], headers=["姓名", "工号"])
    assert "缺少必需的列：邮箱" in fails(tmp_path, org, no_email, capsys, name="a.csv")
    assert "没有人员" in fails(tmp_path, org, xlsx_bytes([]), capsys)
    assert not Staff.objects.filter(organisation=org).exists()


def test_unknown_organisation(tmp_path):
    with pytest.raises(CommandError, match="91330100MA0000000X"):
        call_command("import_roster", str(tmp_path / "x.csv"), "--org", "91330100MA0000000X")


def test_ten_thousand_rows_with_one_bad_row_at_the_end(org):
    rows = [person_row(n, 入职日期=date(2020, 1, 1)) for n in range(1, 10_001)]
    rows[-1] = person_row(10_000, 邮箱="broken@")
    result = roster_import(organisation=org, data=xlsx_bytes(rows), file_name="big.xlsx")

    assert [(p.row, p.column) for p in result.problems] == [(10_001, "邮箱")]
    assert not Staff.objects.filter(organisation=org).exists()
    assert not User.objects.filter(email="staff1@example.cn").exists()


def test_english_messages(org):
    data = xlsx_bytes([person_row(1, 姓名="")])
    with translation.override("en"):
        result = roster_import(organisation=org, data=data, file_name="r.xlsx")
    assert result.problems[0].message == "The name is missing."


def test_moving_out_of_an_administrator_position_takes_the_role_away(tmp_path, org):
    admin = person(org, role=ComplianceRole.ADMIN_FULL_TIME, employee_number="A1")
    assert admin.user.is_staff
    row = person_row(1, 工号="A1", 姓名=admin.user.full_name, 邮箱=admin.user.email, 岗位="专员")

    run(tmp_path, org, xlsx_bytes([row]))

    admin.user.refresh_from_db()
    assert set(admin.user.groups.values_list("name", flat=True)) == {roles.LEARNER}
    assert not admin.user.is_staff


@pytest.mark.parametrize("size", [20, 200])
def test_queries_do_not_grow_per_row_beyond_the_audit_entry(
    org, size, django_assert_max_num_queries
):
    """Each new department or position costs a few queries (saved through its service), each
    person one audit insert; everything else is bulk, whatever the size of the file."""
    rows = [person_row(n, 岗位="专员") for n in range(1, size + 1)]
    with django_assert_max_num_queries(size + 50):
        result = roster_import(organisation=org, data=xlsx_bytes(rows), file_name="r.xlsx")
    assert result.imported and result.created == size

    moved = [person_row(n, 岗位="经理") for n in range(1, size + 1)]
    with django_assert_max_num_queries(size + 40):
        result = roster_import(organisation=org, data=xlsx_bytes(moved), file_name="r.xlsx")
    assert result.imported and result.updated == size

    with django_assert_max_num_queries(12):
        result = roster_import(organisation=org, data=xlsx_bytes(moved), file_name="r.xlsx")
    assert result.unchanged == size
