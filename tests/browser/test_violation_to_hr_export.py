"""The records journey in real headless Chromium: a compliance administrator records a violation;
the person sees it in 通知 and 我的合规档案 and gives a statement; the head confirms it; the
person's score and grade change and the remedial course appears in 我的学习; the head closes the
year; the HR export holds the person's row. The person's pages at desktop and at 390×844."""

import copy
from datetime import timedelta

import pytest
from django.utils import timezone

from lms.organisations.models import ComplianceRole
from lms.records import services
from lms.records.models import Violation
from lms.records.scoring import DEFAULT_RULES
from tests.browser.conftest import sign_in
from tests.factories.content import course, curriculum, home_page
from tests.factories.organisations import DepartmentFactory, person

pytestmark = pytest.mark.django_db(transaction=True)
TODAY = timezone.localdate()

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}


@pytest.fixture(autouse=True)
def _site_home_page(transactional_db):
    home_page()


def as_user(browser, live_server, login, **options):
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", **options)
    context.set_default_timeout(15_000)
    page = context.new_page()
    sign_in(page, live_server, login)
    return context, page


def fits_the_screen(page) -> bool:
    return (
        page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        <= 0
    )


@pytest.mark.parametrize("screen", ["desktop", "phone"])
def test_a_violation_from_report_to_the_hr_export(browser, live_server, org, screen):
    sales = DepartmentFactory(organisation=org, name="销售部")
    head = person(org, role=ComplianceRole.COMPLIANCE_HEAD, user__full_name="周负责人").user
    admin = person(org, role=ComplianceRole.ADMIN_FULL_TIME, user__full_name="吴管理员").user
    seller = person(org, department=sales, user__full_name="王销售", employee_number="S0042")
    remedial = curriculum(
        courses=[course(title="廉洁从业整改课", lessons=1)], owner=org, name="违规整改学习"
    )
    rules = copy.deepcopy(DEFAULT_RULES)
    rules["remedial"] = {"from_severity": "major", "curriculum": remedial.pk, "due_days": 30}
    services.policy_save(organisation=org, year=TODAY.year, rules=rules, actor=head)

    # the administrator records the violation
    admin_context, admin_page = as_user(browser, live_server, admin.email, **DESKTOP)
    admin_page.goto(f"{live_server.url}/records/violations/new/")
    admin_page.select_option("select[name=staff]", str(seller.pk))
    admin_page.fill("input[name=occurred_on]", (TODAY - timedelta(days=1)).isoformat())
    admin_page.fill("input[name=nature]", "收受供应商礼品")
    admin_page.select_option("select[name=severity]", "serious")
    admin_page.fill("textarea[name=description]", "在采购过程中收受供应商购物卡。")
    admin_page.click("form.card button[type=submit]")
    admin_page.wait_for_url("**/records/violations/*/")
    assert "王销售" in admin_page.locator("#violation").inner_text()
    admin_context.close()
    violation = Violation.objects.get()

    # the person sees it in 通知 and 我的合规档案 and gives a statement
    person_context, mine = as_user(
        browser, live_server, seller.user.email, **(PHONE if screen == "phone" else DESKTOP)
    )
    mine.goto(f"{live_server.url}/learn/notifications/")
    notices = mine.locator("main").inner_text()
    assert "您有一条违规行为记录" in notices and "收受供应商礼品" in notices
    assert fits_the_screen(mine)
    mine.goto(f"{live_server.url}/records/")
    assert mine.locator(".score").count() == 0  # nothing counted yet
    assert "收受供应商礼品" in mine.locator("#my-violations").inner_text()
    assert fits_the_screen(mine)
    mine.click("#my-violations a")
    mine.fill("#statement-form textarea[name=statement]", "购物卡已当场退回，请求从轻处理。")
    mine.click("#statement-form button[type=submit]")
    mine.wait_for_load_state("networkidle")
    assert not mine.locator("#statement-form").count()
    assert fits_the_screen(mine)

    # the head confirms it
    head_context, head_page = as_user(browser, live_server, head.email, **DESKTOP)
    head_page.goto(f"{live_server.url}/records/violations/{violation.pk}/")
    assert "购物卡已当场退回" in head_page.locator("#violation").inner_text()
    head_page.fill("#decision-form textarea[name=reason]", "证据确凿，申辩理由不成立。")
    head_page.click("#decision-form button[value=confirm]")
    head_page.wait_for_load_state("networkidle")
    assert "已确认" in head_page.locator("#violation").inner_text()

    # the person's score and grade change; the remedial course is in 我的学习
    mine.goto(f"{live_server.url}/records/")
    assert mine.locator(".score").inner_text() == "80"
    assert mine.locator(".grade").first.inner_text() == "基本合格"
    assert "严重" in mine.locator("li.entry").first.inner_text()
    assert fits_the_screen(mine)
    mine.goto(f"{live_server.url}/learn/")
    assert "廉洁从业整改课" in mine.locator("main").inner_text()
    assert fits_the_screen(mine)
    person_context.close()

    # the head closes the year; the HR export holds the row
    head_page.goto(f"{live_server.url}/records/appraisal/?org={org.pk}&year={TODAY.year}")
    head_page.click("#close-year button")
    head_page.locator("#closed").wait_for()
    export = head_page.request.get(
        f"{live_server.url}/records/appraisal/export.csv?org={org.pk}&year={TODAY.year}"
    )
    assert export.ok
    rows = [line for line in export.text().splitlines() if "S0042" in line]
    assert len(rows) == 1
    assert "王销售" in rows[0] and "销售部" in rows[0] and "基本合格" in rows[0] and "80" in rows[0]
    head_context.close()
