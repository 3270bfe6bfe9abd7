"""合规考核: an administrator sees their roster's people scored for the year by department, the
grade distribution and each person's record; a part-time administrator only their departments;
learners nothing; queries do not grow with people or entries."""

import pytest
from django.urls import reverse
from django.utils import timezone

from lms.organisations.models import ComplianceRole
from lms.records import services
from lms.records.kinds import Severity
from tests.factories.organisations import DepartmentFactory, person

pytestmark = pytest.mark.django_db
URL = reverse("records:appraisal")


@pytest.fixture
def world(org):
    legal = DepartmentFactory(organisation=org, name="法务部")
    sales = DepartmentFactory(organisation=org, name="销售部")
    return {
        "head": person(org, role=ComplianceRole.COMPLIANCE_HEAD).user,
        "part_time": person(org, role=ComplianceRole.ADMIN_PART_TIME, department=legal).user,
        "lawyer": person(org, department=legal, user__full_name="李律师"),
        "seller": person(org, department=sales, user__full_name="王销售"),
    }


def record(staff, kind, n=0, **kwargs):
    return services.record_entry(
        staff=staff,
        kind=kind,
        source=DepartmentFactory(organisation=staff.organisation),
        occurred_at=timezone.now(),
        summary=f"事项{n}",
        **kwargs,
    )


def test_the_head_sees_every_department_and_the_grade_distribution(client, world):
    record(world["seller"], "violation", severity=Severity.VERY_SERIOUS)
    for n in range(6):
        record(world["lawyer"], "course_on_time", n)
    client.force_login(world["head"])
    html = client.get(URL).content.decode()
    assert "合规考核" in html and "等级分布" in html
    assert "法务部" in html and "销售部" in html
    assert "李律师" in html and "王销售" in html
    assert "不合格" in html and "优秀" in html


def test_a_part_time_administrator_sees_only_their_departments(client, world):
    client.force_login(world["part_time"])
    html = client.get(URL).content.decode()
    assert "李律师" in html
    assert "王销售" not in html and "销售部" not in html
    outside = reverse("records:person", args=[world["seller"].pk])
    assert client.get(outside).status_code == 404
    inside = reverse("records:person", args=[world["lawyer"].pk])
    assert client.get(inside).status_code == 200


def test_the_person_drill_down_shows_their_entries(client, world):
    record(world["lawyer"], "course_late", 1)
    client.force_login(world["head"])
    html = client.get(reverse("records:person", args=[world["lawyer"].pk])).content.decode()
    assert "李律师" in html and "事项1" in html and "99" in html


def test_a_learner_may_not_open_it_and_another_organisation_is_404(client, world, other_org):
    client.force_login(world["lawyer"].user)
    assert client.get(URL).status_code == 403
    client.force_login(world["head"])
    assert client.get(URL, {"org": other_org.pk}).status_code == 404
    stranger = person(other_org)
    assert client.get(reverse("records:person", args=[stranger.pk])).status_code == 404


def test_queries_do_not_grow_with_people_or_entries(
    client, org, world, django_assert_max_num_queries
):
    client.force_login(world["head"])
    client.get(URL)
    with django_assert_max_num_queries(40) as few:
        client.get(URL)
    department = DepartmentFactory(organisation=org, name="新部门")
    for n in range(15):
        staff = person(org, department=department)
        record(staff, "course_on_time", n)
        record(staff, "exam_passed", n)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(URL)
    assert "新部门" in response.content.decode()


def test_hr_export_holds_each_person_in_scope_formula_escaped(client, org, world):
    import csv
    from io import BytesIO, StringIO

    from openpyxl import load_workbook

    sneaky = person(org, department=world["lawyer"].department, user__full_name="=HYPERLINK(1)")
    record(sneaky, "violation", severity=Severity.SERIOUS)
    client.force_login(world["part_time"])
    year = timezone.localdate().year
    response = client.get(reverse("records:export_csv"), {"year": year})
    rows = list(csv.reader(StringIO(response.content.decode("utf-8-sig"))))
    names = [row[1] for row in rows[1:]]
    assert "'=HYPERLINK(1)" in names and "李律师" in names
    assert "王销售" not in names  # another department: not the part-time administrator's
    sneaky_row = next(row for row in rows if row[1] == "'=HYPERLINK(1)")
    assert sneaky_row[6] == "基本合格" and sneaky_row[-2] == "1"  # one serious violation

    response = client.get(reverse("records:export_xlsx"), {"year": year})
    sheet = load_workbook(BytesIO(response.content)).active
    assert "'=HYPERLINK(1)" in [row[1] for row in sheet.iter_rows(values_only=True)]
