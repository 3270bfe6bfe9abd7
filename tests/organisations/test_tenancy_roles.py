"""Part-time administrators, learners, regulators and platform administrators in the admin."""

import re

import pytest

from lms.organisations.models import Department, Organisation, Staff
from tests.factories.organisations import make_credit_code
from tests.organisations.tenancy import build_world, refused

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return build_world()


def menu_urls(client) -> set[str]:
    """The admin sidebar's menu links, read from the props the sidebar is rendered from."""
    html = client.get("/admin/").content.decode()
    match = re.search(r'id="wagtail-sidebar-props"[^>]*>(.*?)</script>', html, re.S)
    assert match, "sidebar props not found"
    return set(re.findall(r'"url": "(/admin/[^"]*)"', match.group(1)))


# --- part-time compliance administrator -----------------------------------------------------
def test_part_time_administrator_sees_only_their_department_subtree(client, world):
    client.force_login(world.part_time_a.user)
    html = client.get("/admin/staff/").content.decode()
    assert world.learner_a_legal.user.full_name in html  # 合规科, under 法务部
    assert world.learner_a.user.full_name not in html  # 销售部
    assert world.head_a.user.full_name not in html  # 总部
    assert refused(client.get(f"/admin/staff/edit/{world.learner_a.pk}/"))
    assert client.get(f"/admin/staff/edit/{world.learner_a_legal.pk}/").status_code == 200
    departments = client.get("/admin/departments/").content.decode()
    assert "合规科" in departments and "销售部" not in departments
    assert refused(client.get(f"/admin/departments/edit/{world.departments['sales'].pk}/"))


def test_part_time_administrator_cannot_move_someone_out_of_their_subtree(client, world):
    client.force_login(world.part_time_a.user)
    staff = world.learner_a_legal
    response = client.post(
        f"/admin/staff/edit/{staff.pk}/",
        {
            "department": world.departments["sales"].pk,
            "position": staff.position_id,
            "employee_number": staff.employee_number,
            "status": "active",
        },
    )
    assert response.status_code == 200
    staff.refresh_from_db()
    assert staff.department == world.departments["compliance_unit"]


def test_part_time_administrator_adds_sub_departments_only_under_their_own(client, world):
    client.force_login(world.part_time_a.user)
    response = client.post("/admin/departments/new/", {"organisation": world.a.pk, "name": "新部"})
    assert response.status_code == 200
    assert "请选择上级部门" in response.content.decode()
    response = client.post(
        "/admin/departments/new/",
        {"organisation": world.a.pk, "name": "新部", "parent": world.departments["sales"].pk},
    )
    assert response.status_code == 200
    response = client.post(
        "/admin/departments/new/",
        {"organisation": world.a.pk, "name": "新部", "parent": world.departments["legal"].pk},
    )
    assert response.status_code == 302
    assert Department.objects.get(name="新部").parent == world.departments["legal"]


def test_part_time_administrator_adds_people_only_to_their_departments(client, world):
    client.force_login(world.part_time_a.user)
    person_data = {
        "full_name": "赵六",
        "email": "zhaoliu@example.cn",
        "organisation": world.a.pk,
        "employee_number": "A-606",
    }
    for department in ("", world.departments["sales"].pk):
        response = client.post("/admin/staff/new/", {**person_data, "department": department})
        assert response.status_code == 200
    assert not Staff.objects.filter(employee_number="A-606").exists()
    response = client.post(
        "/admin/staff/new/", {**person_data, "department": world.departments["compliance_unit"].pk}
    )
    assert response.status_code == 302
    assert Staff.objects.get(employee_number="A-606").department.name == "合规科"


def test_part_time_administrator_cannot_define_positions(client, world):
    client.force_login(world.part_time_a.user)
    assert refused(client.get(f"/admin/positions/edit/{world.positions['a_clerk'].pk}/"))
    response = client.post(
        "/admin/positions/new/",
        {"organisation": world.a.pk, "name": "自封岗位", "compliance_role": "head"},
    )
    assert response.status_code == 200
    assert not world.a.positions.filter(name="自封岗位").exists()


# --- learners -------------------------------------------------------------------------------
def test_learner_cannot_enter_the_admin(client, world):
    client.force_login(world.learner_a.user)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")
    page = client.get(response.url).content.decode()
    assert "您没有权限访问管理后台" in page
    for url in ("/admin/staff/", f"/admin/staff/inspect/{world.learner_a.pk}/", "/admin/audit/"):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith("/accounts/login/")


# --- regulators -----------------------------------------------------------------------------
def test_city_regulator_sees_only_online_platforms_in_its_region(client, world):
    client.force_login(world.city_officer.user)
    html = client.get("/admin/orgs/").content.decode()
    assert world.a.name in html and world.b.name in html
    assert world.group.name not in html and world.subsidiary.name not in html
    assert client.get(f"/admin/orgs/inspect/{world.a.pk}/").status_code == 200
    assert refused(client.get(f"/admin/orgs/inspect/{world.group.pk}/"))
    staff = client.get("/admin/staff/").content.decode()
    assert world.learner_a.user.full_name in staff
    assert world.learner_group.user.full_name not in staff
    assert refused(client.get(f"/admin/staff/inspect/{world.learner_group.pk}/"))


def test_region_alone_is_not_enough_the_sector_must_match(client, world):
    other_sector = Organisation.objects.create(
        name="杭州某国企",
        credit_code=make_credit_code("330102"),
        kind="enterprise",
        sector=Organisation.Sector.STATE_OWNED,
        region_code="330102",
    )
    client.force_login(world.city_officer.user)
    assert other_sector.name not in client.get("/admin/orgs/").content.decode()


def test_assets_regulator_sees_the_listed_group_and_its_subsidiary(client, world):
    client.force_login(world.assets_officer.user)
    html = client.get("/admin/orgs/").content.decode()
    assert world.group.name in html and world.subsidiary.name in html
    assert world.a.name not in html
    staff = client.get("/admin/staff/").content.decode()
    assert world.learner_subsidiary.user.full_name in staff
    assert world.learner_a.user.full_name not in staff


def test_regulator_cannot_change_anything(client, world):
    client.force_login(world.city_officer.user)
    before = Staff.objects.get(pk=world.learner_a.pk).employee_number
    for url in (
        f"/admin/orgs/edit/{world.a.pk}/",
        f"/admin/staff/edit/{world.learner_a.pk}/",
        f"/admin/staff/delete/{world.learner_a.pk}/",
        "/admin/staff/new/",
        "/admin/orgs/new/",
        f"/admin/departments/edit/{world.departments['sales'].pk}/",
        f"/admin/jurisdictions/edit/{world.city_regulator.jurisdiction.pk}/",
    ):
        assert refused(client.get(url)), url
        assert refused(client.post(url, {"employee_number": "X", "name": "X"})), url
    assert Staff.objects.get(pk=world.learner_a.pk).employee_number == before


def test_regulator_sees_its_own_jurisdiction_only(client, world):
    client.force_login(world.city_officer.user)
    html = client.get("/admin/jurisdictions/").content.decode()
    assert world.city_regulator.name in html
    assert world.assets_regulator.name not in html


# --- menus ----------------------------------------------------------------------------------
def test_menus_show_only_what_each_role_may_use(client, world):
    client.force_login(world.admin_a.user)
    urls = menu_urls(client)
    assert {"/admin/staff/", "/admin/departments/", "/admin/positions/"} <= urls
    assert "/admin/appointments/" in urls and "/admin/orgs/" in urls
    assert "/admin/audit/" not in urls and "/admin/jurisdictions/" not in urls
    assert "/admin/users/" not in urls and "/admin/groups/" not in urls

    client.force_login(world.head_a.user)
    assert "/admin/audit/" in menu_urls(client)

    client.force_login(world.city_officer.user)
    urls = menu_urls(client)
    assert {"/admin/staff/", "/admin/orgs/", "/admin/jurisdictions/"} <= urls
    assert not urls & {"/admin/departments/", "/admin/positions/", "/admin/appointments/"}
    assert "/admin/audit/" not in urls

    client.force_login(world.platform_admin)
    urls = menu_urls(client)
    assert {"/admin/audit/", "/admin/jurisdictions/", "/admin/users/"} <= urls


def test_add_buttons_appear_only_where_the_role_may_add(client, world):
    client.force_login(world.admin_a.user)
    assert "/admin/orgs/new/" not in client.get("/admin/orgs/").content.decode()
    assert "/admin/staff/new/" in client.get("/admin/staff/").content.decode()
    client.force_login(world.platform_admin)
    assert "/admin/orgs/new/" in client.get("/admin/orgs/").content.decode()
    assert "/admin/audit/new/" not in client.get("/admin/audit/").content.decode()


def test_a_platform_administrator_changing_a_jurisdiction_is_audited(client, world):
    from lms.audit.models import AuditEntry

    jurisdiction = world.assets_regulator.jurisdiction
    client.force_login(world.platform_admin)
    response = client.post(
        f"/admin/jurisdictions/edit/{jurisdiction.pk}/",
        {
            "regulator": world.assets_regulator.pk,
            "region_prefixes": "3301",
            "sectors": ["state_owned"],
            "enterprises": [world.group.pk, world.a.pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    jurisdiction.refresh_from_db()
    assert set(jurisdiction.enterprises.all()) == {world.group, world.a}
    entry = AuditEntry.objects.get(action="jurisdiction.update", object_id=str(jurisdiction.pk))
    assert entry.actor == world.platform_admin
    assert entry.organisation == world.assets_regulator
    assert entry.data["changes"]["region_prefixes"] == ["", "3301"]
    assert entry.data["changes"]["sectors"][1] == ["state_owned"]
    assert entry.data["changes"]["enterprises"] == [
        [world.group.pk],
        sorted([world.group.pk, world.a.pk]),
    ]
