"""The admin's home page lists what waits for the signed-in administrator, and only theirs."""

import datetime as dt

import pytest

from lms.learning.models import Enrolment
from lms.organisations.models import Appointment, ComplianceRole, Position
from tests.factories import content as cf
from tests.factories.organisations import person

pytestmark = pytest.mark.django_db


def admin_home(client, user) -> str:
    client.force_login(user)
    response = client.get("/admin/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_compliance_administrator_sees_overdue_courses_and_appointments_to_decide(
    client, org, other_org
):
    admin = person(org, role=ComplianceRole.ADMIN_FULL_TIME)
    late = person(org)
    course = cf.course()
    Enrolment.objects.create(
        user=late.user, staff=late, course=course, source="manual", due_on=dt.date(2026, 1, 1)
    )
    manager = Position.objects.create(organisation=org, name="部门经理", is_key=True)
    Appointment.objects.create(staff=late, position=manager, requested_by=admin.user)
    elsewhere = person(other_org)
    Enrolment.objects.create(
        user=elsewhere.user,
        staff=elsewhere,
        course=course,
        source="manual",
        due_on=dt.date(2026, 1, 1),
    )

    html = admin_home(client, admin.user)
    assert 'id="admin-todos"' in html
    assert "你的名册上有 1 门必修课程已逾期" in html  # not 2: the other firm's is not theirs
    assert "1 项任命申请待审批" in html
    assert "/learn/dashboard/" in html and "/admin/appointments/" in html


def test_nothing_waiting_says_so_and_the_sidebar_greets_by_name(client, org):
    admin = person(org, role=ComplianceRole.ADMIN_FULL_TIME)
    html = admin_home(client, admin.user)
    assert "没有待办事项" in html
    assert admin.user.full_name in html


def test_the_english_to_do_list_counts_in_the_singular_and_plural(org):
    from django.utils import translation

    from lms.navigation import admin_todos

    admin = person(org, role=ComplianceRole.ADMIN_FULL_TIME)
    manager = Position.objects.create(organisation=org, name="部门经理", is_key=True)
    for n in range(2):
        candidate = person(org)
        Appointment.objects.create(staff=candidate, position=manager, requested_by=admin.user)
        with translation.override("en"):
            texts = [t["text"] for t in admin_todos(admin.user)]
        expected = (
            "1 appointment request to decide" if n == 0 else "2 appointment requests to decide"
        )
        assert expected in texts
