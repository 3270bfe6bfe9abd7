"""Through the admin forms, A's administrator cannot reach into B: choices are scoped and the
server refuses ids that are not offered."""

import pytest

from lms.organisations.models import Appointment, Department, Staff
from tests.organisations.tenancy import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return build_world()


def staff_form(staff, **changes):
    data = {
        "organisation": staff.organisation_id,
        "department": staff.department_id or "",
        "position": staff.position_id or "",
        "employee_number": staff.employee_number,
        "hire_date": "",
        "status": staff.status,
    }
    return {**data, **changes}


def test_cannot_move_own_staff_into_bs_department_or_position(client, world):
    client.force_login(world.admin_a.user)
    staff = world.learner_a
    for change in (
        {"department": world.departments["b_ops"].pk},
        {"position": world.positions["b_clerk"].pk},
    ):
        response = client.post(f"/admin/staff/edit/{staff.pk}/", staff_form(staff, **change))
        assert response.status_code == 200, change
        assert "选择一个有效的选项" in response.content.decode()
    # The organisation of an existing membership is fixed: a posted value is ignored.
    client.post(f"/admin/staff/edit/{staff.pk}/", staff_form(staff, organisation=world.b.pk))
    staff.refresh_from_db()
    assert staff.organisation == world.a
    assert staff.department == world.departments["sales"]
    assert staff.position == world.positions["a_clerk"]


def test_forms_offer_only_own_organisations_choices(client, world):
    client.force_login(world.admin_a.user)
    html = client.get(f"/admin/staff/edit/{world.learner_a.pk}/").content.decode()
    assert "法务部" in html
    assert "运营部" not in html and "乙专员" not in html
    html = client.get("/admin/staff/new/").content.decode()
    assert world.a.name in html and world.b.name not in html


def test_cannot_add_a_person_to_b(client, world):
    client.force_login(world.admin_a.user)
    response = client.post(
        "/admin/staff/new/",
        {
            "full_name": "王五",
            "email": "wangwu@example.cn",
            "organisation": world.b.pk,
            "department": world.departments["b_ops"].pk,
            "employee_number": "B9999",
        },
    )
    assert response.status_code == 200
    assert not Staff.objects.filter(employee_number="B9999").exists()


def test_adds_a_person_to_own_organisation(client, world):
    client.force_login(world.admin_a.user)
    response = client.post(
        "/admin/staff/new/",
        {
            "full_name": "王五",
            "email": "WangWu@Example.cn",
            "organisation": world.a.pk,
            "department": world.departments["sales"].pk,
            "position": world.positions["a_clerk"].pk,
            "employee_number": "A9999",
            "hire_date": "2025-03-01",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    staff = Staff.objects.get(employee_number="A9999")
    assert staff.organisation == world.a
    assert staff.user.email == "wangwu@example.cn"
    assert staff.user.full_name == "王五"
    assert staff.user.groups.filter(name="学员").exists()


def test_cannot_place_a_department_under_bs_department(client, world):
    client.force_login(world.admin_a.user)
    response = client.post(
        "/admin/departments/new/",
        {"organisation": world.a.pk, "name": "渗透部", "parent": world.departments["b_ops"].pk},
    )
    assert response.status_code == 200
    assert not Department.objects.filter(name="渗透部").exists()
    response = client.post(
        "/admin/departments/new/", {"organisation": world.b.pk, "name": "渗透部"}
    )
    assert response.status_code == 200
    assert not Department.objects.filter(name="渗透部").exists()


def test_cannot_request_an_appointment_across_organisations(client, world):
    client.force_login(world.admin_a.user)
    for data in (
        {"staff": world.learner_a.pk, "position": world.positions["b_clerk"].pk},
        {"staff": world.learner_b.pk, "position": world.positions["a_clerk"].pk},
    ):
        response = client.post("/admin/appointments/new/", data)
        assert response.status_code == 200, data
    assert not Appointment.objects.exists()


def test_position_of_b_cannot_be_defined_in_b(client, world):
    client.force_login(world.admin_a.user)
    response = client.post(
        "/admin/positions/new/",
        {"organisation": world.b.pk, "name": "乙的新岗位", "compliance_role": "none"},
    )
    assert response.status_code == 200
    assert not world.b.positions.filter(name="乙的新岗位").exists()
