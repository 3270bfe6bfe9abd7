"""The home page: a signed-in person sees who they are; visitors an introduction."""

import pytest

from lms.navigation import HomePanel, _panels, register_home_panel
from lms.organisations.models import ComplianceRole
from tests.factories.content import home_page
from tests.factories.organisations import DepartmentFactory, PositionFactory, person

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _site_home_page(db):
    """A reused test database may have lost the migration's home page to a transactional flush."""
    home_page()


def test_visitor_sees_an_introduction_and_a_sign_in_button(client, db):
    html = client.get("/").content.decode()
    assert 'id="welcome"' in html
    assert 'href="/accounts/login/"' in html
    assert 'id="profile"' not in html


def test_visitor_sees_it_in_english_under_en(client, db):
    html = client.get("/en/").content.decode()
    assert "Sign in with your work e-mail address or your employee number." in html


def test_signed_in_person_sees_name_organisation_department_position_and_role(client, org):
    department = DepartmentFactory(organisation=org, name="风控部")
    position = PositionFactory(
        organisation=org,
        name="风控经理",
        compliance_role=ComplianceRole.ADMIN_PART_TIME,
        is_key=True,
        is_high_risk=True,
    )
    staff = person(org, department=department, position=position, employee_number="K-7")
    client.force_login(staff.user)
    html = client.get("/").content.decode()
    for text in (
        staff.user.full_name,
        org.name,
        "风控部",
        "风控经理",
        "合规管理员（兼职）",
        "K-7",
        "关键岗位",
        "高风险岗位",
    ):
        assert text in html, text
    assert "学员" in html and "合规管理员" in html  # roles


def test_every_membership_is_shown(client, org, other_org):
    staff = person(org, role=ComplianceRole.COMPLIANCE_HEAD)
    person(other_org, user=staff.user, employee_number="X-2")
    client.force_login(staff.user)
    html = client.get("/").content.decode()
    assert org.name in html and other_org.name in html
    assert html.count('class="facts membership"') == 2
    assert "合规负责人" in html


def test_someone_not_on_any_roster_is_told_whom_to_ask(client, db):
    from tests.factories.organisations import UserFactory

    client.force_login(UserFactory())
    assert "请联系本单位合规管理员将您加入花名册" in client.get("/").content.decode()


def test_apps_add_panels_to_the_home_page(client, org, settings, tmp_path):
    (tmp_path / "includes").mkdir()
    (tmp_path / "includes" / "test_panel.html").write_text(
        '<section class="card">{{ panel.greeting }}</section>'
    )
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [str(tmp_path)]}]
    staff = person(org)
    register_home_panel(
        HomePanel(
            key="test_panel",
            template="includes/test_panel.html",
            context=lambda request: {"greeting": "面板你好"},
        )
    )
    try:
        client.force_login(staff.user)
        assert "面板你好" in client.get("/").content.decode()
    finally:
        _panels.pop("test_panel")


def test_english_home_page_for_a_signed_in_person(client, org):
    staff = person(org, role=ComplianceRole.ADMIN_FULL_TIME)
    client.force_login(staff.user)
    html = client.get("/en/").content.decode()
    assert "My profile" in html and "Compliance administrator (full-time)" in html
