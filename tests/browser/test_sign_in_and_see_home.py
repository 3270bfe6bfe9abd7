"""A person signs in in a real browser and sees who they are on their home page."""

import pytest

from lms.organisations.models import ComplianceRole
from tests.browser.conftest import sign_in
from tests.factories.content import home_page
from tests.factories.organisations import DepartmentFactory, OrganisationFactory, person

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _site_home_page(transactional_db):
    """An earlier transactional test's flush removes the migration's home page: rebuild it."""
    home_page()


def test_compliance_administrator_signs_in_with_employee_number_and_sees_profile(
    page, live_server, org
):
    department = DepartmentFactory(organisation=org, name="法务合规部")
    staff = person(
        org, role=ComplianceRole.ADMIN_FULL_TIME, department=department, employee_number="A0042"
    )
    sign_in(page, live_server, "A0042")
    profile = page.locator("#profile")
    assert staff.user.full_name in profile.inner_text()
    assert org.name in profile.inner_text()
    assert "法务合规部" in profile.inner_text()


def test_learner_signs_in_with_email_sees_profile_and_signs_out(page, live_server, org):
    department = DepartmentFactory(organisation=org, name="客服部")
    staff = person(org, department=department)
    sign_in(page, live_server, staff.user.email.upper())
    profile = page.locator("#profile").inner_text()
    for text in (staff.user.full_name, org.name, "客服部", "学员"):
        assert text in profile
    # A learner's menu has no administration entry.
    assert page.locator("a[href='/admin/']").count() == 0

    page.click("#account-menu summary")
    page.click("#account-menu button:has-text('退出登录')")
    page.wait_for_load_state("networkidle")
    assert page.locator("#welcome").is_visible()
    assert page.locator("#profile").count() == 0
    page.goto(f"{live_server.url}/accounts/password/change/")
    assert "/accounts/login/" in page.url


def test_wrong_password_gets_a_chinese_message_and_keeps_the_login(page, live_server, org):
    person(org, employee_number="B0007")
    sign_in(page, live_server, "B0007", password="not-the-password")
    assert "电子邮箱或工号与密码不匹配。" in page.locator("main").inner_text()
    assert page.input_value("input[name=login]") == "B0007"
    assert page.locator("#profile").count() == 0


def test_english_under_en(page, live_server, org):
    staff = person(org, role=ComplianceRole.COMPLIANCE_HEAD, employee_number="C0001")
    page.goto(f"{live_server.url}/en/accounts/login/")
    assert page.locator("label[for=id_login]").inner_text() == "E-mail or employee number"
    page.fill("input[name=login]", "C0001")
    page.fill("input[name=password]", "wrong")
    page.click("main button[type=submit]")
    assert (
        "The e-mail address or employee number and the password do not match."
        in page.locator("main").inner_text()
    )
    page.fill("input[name=password]", "Demo-2026!")
    page.click("main button[type=submit]")
    page.wait_for_load_state("networkidle")
    page.goto(f"{live_server.url}/en/")
    profile = page.locator("#profile").inner_text()
    assert "My profile" in profile and "Compliance head" in profile
    assert staff.user.full_name in profile


def test_compliance_administrator_reaches_the_admin_staff_list_of_their_organisation_only(
    page, live_server, org
):
    admin = person(org, role=ComplianceRole.ADMIN_FULL_TIME, employee_number="ADM-1")
    colleague = person(org, employee_number="E-1")
    stranger = person(OrganisationFactory(name="别家公司"), employee_number="E-1")
    page.goto(f"{live_server.url}/admin/staff/")
    assert "/accounts/login/" in page.url  # the admin signs in through the site's login
    page.fill("input[name=login]", admin.user.email)
    page.fill("input[name=password]", "Demo-2026!")
    page.click("main button[type=submit]")
    page.wait_for_url("**/admin/staff/")
    listing = page.locator("main").inner_text()
    assert colleague.user.full_name in listing
    assert admin.user.full_name in listing
    assert stranger.user.full_name not in listing
    assert "别家公司" not in listing


def test_home_page_fits_a_phone(phone_page, live_server, org):
    staff = person(org, role=ComplianceRole.ADMIN_PART_TIME)
    sign_in(phone_page, live_server, staff.user.email)
    assert phone_page.locator("#profile").is_visible()
    overflow = phone_page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    phone_page.click("#account-menu summary")
    assert phone_page.locator("#account-menu a[href='/accounts/2fa/']").is_visible()
