"""A new hire finishes a mandatory course in the browser; the administrator sees it."""

import datetime as dt

import pytest

from lms.learning.services import assignment_run
from lms.organisations.models import ComplianceRole
from tests.browser.conftest import sign_in
from tests.factories import content as cf
from tests.factories.organisations import DepartmentFactory, OrganisationFactory, person

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def company():
    org = OrganisationFactory(name="杭州云集优选网络科技有限公司")
    department = DepartmentFactory(organisation=org, name="运营部")
    recruit = person(org, department=department, hire_date=dt.date.today() - dt.timedelta(days=3))
    admin = person(org, role=ComplianceRole.ADMIN_FULL_TIME)
    course = cf.course(title="新员工合规必修课", lessons=2, minimum_seconds=2)
    other = cf.course(title="网络交易平台合规管理主体责任", lessons=1)
    cf.curriculum(
        courses=[course, other],
        owner=org,
        audience_new_hire_days=90,
        due_days=30,
        name="新员工必修",
    )
    assignment_run(organisation=org)
    return {"recruit": recruit, "admin": admin, "course": course}


def test_a_new_hire_finishes_a_course_and_the_administrator_sees_it(page, live_server, company):
    sign_in(page, live_server, company["recruit"].user.email)
    page.click("text=我的学习")
    courses = page.locator("#my-courses")
    assert courses.locator("text=新员工合规必修课").is_visible()
    assert courses.locator("text=网络交易平台合规管理主体责任").is_visible()
    page.click("#my-courses >> text=新员工合规必修课")
    assert page.locator("#course-percent").inner_text() == "0%"
    page.click(".lesson-list >> text=第1课")
    for lesson in ("第1课", "第2课"):
        page.wait_for_load_state("domcontentloaded")
        assert page.locator("article h1").inner_text() == lesson
        button = page.locator("#complete-button")
        assert button.is_disabled()  # the minimum time on the page has not passed yet
        button.click()  # Playwright waits until the page enables it
        page.wait_for_load_state("networkidle")
        assert page.locator(".messages").inner_text().strip() == "本课时已完成。"
    page.goto(f"{live_server.url}{company['course'].url}")
    assert page.locator("#course-percent").inner_text() == "100%"
    assert page.locator("#course-status").inner_text().strip() == "已完成"
    page.goto(f"{live_server.url}/learn/")
    row = page.locator("li.enrolment", has_text="新员工合规必修课")
    assert "100%" in row.inner_text() and "已完成" in row.inner_text()

    page.context.clear_cookies()
    sign_in(page, live_server, company["admin"].user.email)
    page.click("text=管理看板")
    recent = page.locator("#recent-completions")
    assert company["recruit"].user.full_name in recent.inner_text()
    assert "新员工合规必修课" in recent.inner_text()
    by_department = page.locator("#by-department").inner_text()
    assert "运营部" in by_department and "1/2" in by_department


def test_my_learning_fits_a_phone(phone_page, live_server, company):
    sign_in(phone_page, live_server, company["recruit"].user.email)
    phone_page.goto(f"{live_server.url}/learn/")
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    assert phone_page.locator("li.enrolment .progress").first.is_visible()
