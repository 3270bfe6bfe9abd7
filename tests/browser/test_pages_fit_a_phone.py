"""A compliance head uses the site on a phone (390×844): the home page, 我的考试, the training
dashboard and the admin home fit the screen (nothing runs off the side); the main menu folds
behind a menu button that says whether it is open, and the 通知 badge shows on the button.
Screenshots of each page are kept under var/screenshots/phone/ for people to look at."""

from datetime import date, timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from lms.learning.models import Enrolment, TrainingPlan, TrainingPlanItem
from lms.notifications.models import Notification
from lms.organisations.models import ComplianceRole
from tests.browser.conftest import sign_in
from tests.factories import content as cf
from tests.factories.assessments import make_exam
from tests.factories.organisations import DepartmentFactory, PositionFactory, person

pytestmark = pytest.mark.django_db(transaction=True)

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots" / "phone"
OVERFLOW = "document.scrollingElement.scrollWidth - window.innerWidth"


@pytest.fixture
def head(transactional_db, org):
    cf.home_page()
    department = DepartmentFactory(organisation=org, name="市场营销与品牌管理中心")
    position = PositionFactory(organisation=org, name="区域销售经理（华东大区）")
    head = person(org, role=ComplianceRole.COMPLIANCE_HEAD, employee_number="H0390")
    course = cf.course(title="反商业贿赂与反不正当竞争合规专题培训（2026年度必修）", owner=org)
    plan = TrainingPlan.objects.create(organisation=org, year=2026, title="2026年度合规培训计划")
    TrainingPlanItem.objects.create(
        plan=plan,
        curriculum=cf.curriculum(courses=[course], owner=org, name="全员必修合规课程体系"),
        target_date=date(2026, 12, 1),
    )
    for n in range(3):
        learner = person(org, department=department, position=position)
        Enrolment.objects.create(
            user=learner.user,
            staff=learner,
            course=course,
            source=Enrolment.Source.MANUAL,
            due_on=timezone.localdate() - timedelta(days=n + 1),
        )
    make_exam(org, users=[head.user], title="2026年度合规管理人员任职资格与岗位知识考试")
    Notification.objects.create(
        user=head.user,
        key="phone-notice",
        kind="due",
        subject="请完成年度合规考试",
        body="请在截止日期前完成年度合规考试。",
    )
    return head


def _fits(page, name: str) -> None:
    page.wait_for_load_state("networkidle")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    overflow = page.evaluate(OVERFLOW)
    assert overflow <= 0, f"{name} is {overflow}px wider than the screen"


def test_a_compliance_head_finds_every_page_fits_a_phone(phone_page, live_server, head):
    page = phone_page
    sign_in(page, live_server, "H0390")

    page.goto(f"{live_server.url}/")
    _fits(page, "home")
    toggle = page.locator("button.nav-toggle")
    assert toggle.is_visible() and toggle.get_attribute("aria-expanded") == "false"
    assert toggle.locator(".nav-count").inner_text() == "1"
    assert not page.locator("#main-nav").is_visible()
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    nav = page.locator("#main-nav")
    assert nav.is_visible()
    for words in ("我的考试", "管理看板", "管理后台"):
        assert nav.get_by_text(words).first.is_visible(), words
    assert nav.locator(".nav-count").is_visible()
    _fits(page, "home-menu-open")
    page.keyboard.press("Escape")
    assert toggle.get_attribute("aria-expanded") == "false"

    page.goto(f"{live_server.url}/exams/")
    row = page.locator("#my-exams tbody tr").first
    assert "任职资格" in row.inner_text()
    header = page.locator("#my-exams thead")
    assert header.bounding_box() is None or header.bounding_box()["height"] <= 1
    window = row.locator("td[data-label]").first
    label = page.evaluate(
        "el => getComputedStyle(el, '::before').getPropertyValue('content')",
        window.element_handle(),
    )
    assert "时间" in label or "窗口" in label or len(label) > 2
    _fits(page, "my-exams")

    page.goto(f"{live_server.url}/learn/dashboard/")
    assert page.locator("#overdue tbody tr").count() == 3
    _fits(page, "dashboard")

    page.goto(f"{live_server.url}/admin/")
    page.locator("main").first.wait_for()
    _fits(page, "admin-home")


def test_without_javascript_the_menu_simply_wraps(browser, phone_page, live_server, head):
    sign_in(phone_page, live_server, "H0390")  # the session, carried over to a page without JS
    context = browser.new_context(
        locale="zh-CN",
        viewport={"width": 390, "height": 844},
        java_script_enabled=False,
        storage_state=phone_page.context.storage_state(),
    )
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/")
        assert not page.locator("button.nav-toggle").is_visible()
        assert page.locator("#main-nav").get_by_text("管理后台").is_visible()
        assert page.evaluate(OVERFLOW) <= 0
    finally:
        context.close()
