"""The compliance administrator's dashboard, training plans, manual assignment and waivers."""

import datetime as dt
from io import BytesIO

import pytest
from openpyxl import load_workbook

from lms.audit.models import AuditEntry
from lms.learning.models import Enrolment, TrainingPlan, TrainingPlanItem
from lms.learning.services import assignment_run
from lms.organisations.models import ComplianceRole
from tests.factories import content as cf
from tests.factories.organisations import DepartmentFactory, PositionFactory, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def roster(org):
    ops = DepartmentFactory(organisation=org, name="运营部")
    finance = DepartmentFactory(organisation=org, name="财务部")
    clerk = PositionFactory(organisation=org, name="员工")
    people = {
        "done": person(org, department=ops, position=clerk),
        "late": person(org, department=finance, position=clerk),
        "fresh": person(org, department=ops, position=clerk),
    }
    course = cf.course(title="新员工合规必修课", lessons=1)
    curriculum = cf.curriculum(courses=[course], owner=org, audience_everyone=True, due_days=30)
    assignment_run(organisation=org)
    Enrolment.objects.filter(user=people["done"].user).update(
        status="completed", completed_at=dt.datetime(2026, 1, 5, tzinfo=dt.UTC)
    )
    Enrolment.objects.filter(user=people["late"].user).update(
        due_on=dt.date.today() - dt.timedelta(days=3)
    )
    return {"course": course, "curriculum": curriculum, **people}


def test_the_dashboard_shows_completion_by_department_and_position_and_who_is_late(
    client, org, org_admin, roster
):
    client.force_login(org_admin.user)
    page = client.get("/learn/dashboard/").content.decode()
    assert "按部门统计完成情况" in page and "按岗位统计完成情况" in page
    by_department = page[page.index('id="by-department"') : page.index('id="by-position"')]
    assert "运营部" in by_department and "1/2" in by_department and "50%" in by_department
    overdue = page[page.index('id="overdue"') : page.index('id="recent-completions"')]
    assert roster["late"].user.full_name in overdue
    assert roster["fresh"].user.full_name not in overdue


def test_the_dashboard_exports_to_excel(client, org, org_admin, roster):
    client.force_login(org_admin.user)
    response = client.get(f"/learn/dashboard/export.xlsx?org={org.pk}")
    assert response.status_code == 200
    book = load_workbook(BytesIO(response.content))
    assert book.sheetnames == ["按部门", "按岗位", "已逾期"]
    rows = list(book["已逾期"].iter_rows(values_only=True))
    assert rows[1][0] == roster["late"].user.full_name


def test_another_organisations_dashboard_is_404_and_learners_are_refused(
    client, org, other_org, org_admin, roster
):
    client.force_login(org_admin.user)
    assert client.get(f"/learn/dashboard/?org={other_org.pk}").status_code == 404
    assert client.get(f"/learn/dashboard/export.xlsx?org={other_org.pk}").status_code == 404
    client.force_login(roster["fresh"].user)
    assert client.get("/learn/dashboard/").status_code == 403
    assert "管理看板" not in client.get("/learn/").content.decode()


def test_a_training_plan_shows_its_progress(client, org, org_admin, roster):
    plan = TrainingPlan.objects.create(
        organisation=org, year=dt.date.today().year, title="年度合规培训计划"
    )
    TrainingPlanItem.objects.create(
        plan=plan, curriculum=roster["curriculum"], target_date=dt.date.today(), target_rate=90
    )
    client.force_login(org_admin.user)
    page = client.get("/learn/dashboard/").content.decode()
    assert "年度合规培训计划" in page and "1/3" in page


def test_an_administrator_assigns_a_course_by_hand_with_a_reason(client, org, org_admin, roster):
    extra = cf.course(title="涉外合规", lessons=1)
    client.force_login(org_admin.user)
    form = {"staff": roster["fresh"].pk, "course": extra.pk, "due_on": "", "reason": ""}
    response = client.post("/learn/assign/", form)
    assert 'class="errorlist' in response.content.decode()
    assert not Enrolment.objects.filter(course=extra).exists()
    form["reason"] = "派驻海外项目前培训"
    response = client.post("/learn/assign/", form)
    assert response.status_code == 302
    enrolment = Enrolment.objects.get(course=extra)
    assert enrolment.source == "manual" and enrolment.reason == "派驻海外项目前培训"
    entry = AuditEntry.objects.get(action="enrolment.assign")
    assert entry.actor == org_admin.user and entry.data["reason"] == "派驻海外项目前培训"


def test_an_administrator_cannot_assign_to_another_organisations_people(
    client, org, other_org, org_admin, roster
):
    outsider = person(other_org)
    client.force_login(org_admin.user)
    form = {"staff": outsider.pk, "course": roster["course"].pk, "reason": "x"}
    client.post("/learn/assign/", form)
    assert not Enrolment.objects.filter(user=outsider.user).exists()


def test_a_waiver_needs_a_reason_and_is_audited(client, org, org_admin, roster):
    enrolment = Enrolment.objects.get(user=roster["late"].user)
    client.force_login(org_admin.user)
    url = f"/learn/enrolments/{enrolment.pk}/waive/"
    assert client.post(url, {"reason": "  "}).status_code == 200
    assert client.post(url, {"reason": "已在集团总部完成同等培训"}).status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.status == "waived" and enrolment.waived_by == org_admin.user
    assert AuditEntry.objects.filter(action="enrolment.waive").count() == 1
    page = client.get("/learn/dashboard/").content.decode()
    assert roster["late"].user.full_name not in page[page.index('id="overdue"') :][:2000]


def test_an_administrator_waives_or_assigns_nothing_for_themself_or_those_above(
    client, org, org_admin, roster
):
    head = person(org, role=ComplianceRole.COMPLIANCE_HEAD)
    assignment_run(organisation=org)
    client.force_login(org_admin.user)
    for someone in (org_admin, head):
        enrolment = Enrolment.objects.get(user=someone.user, course=roster["course"])
        response = client.post(f"/learn/enrolments/{enrolment.pk}/waive/", {"reason": "免修"})
        assert response.status_code == 200
        assert "不能为自己或职级不低于您的人" in response.content.decode()
        enrolment.refresh_from_db()
        assert enrolment.status != "waived"
        form = {"staff": someone.pk, "course": roster["course"].pk, "reason": "自行安排"}
        assert client.post("/learn/assign/", form).status_code == 200
    assert not AuditEntry.objects.filter(action="enrolment.waive").exists()


def test_a_waiver_of_another_organisations_enrolment_is_404(client, org, other_org, roster):
    their_admin = person(other_org, role=ComplianceRole.ADMIN_FULL_TIME)
    enrolment = Enrolment.objects.get(user=roster["late"].user)
    client.force_login(their_admin.user)
    assert (
        client.post(f"/learn/enrolments/{enrolment.pk}/waive/", {"reason": "x"}).status_code == 404
    )
