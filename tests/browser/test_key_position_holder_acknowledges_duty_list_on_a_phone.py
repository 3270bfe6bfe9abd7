"""The issue's "done when": a key-position holder acknowledges the duty list of their post on a
phone-width page (390 px); the head's coverage view then shows nobody waiting."""

import pytest

from content.models import RegulationClause
from lms.organisations.models import ComplianceRole
from tests.browser.conftest import sign_in
from tests.factories.content import home_page, regulation
from tests.factories.dutylists import key_position, write
from tests.factories.organisations import person

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _site_home_page(transactional_db):
    home_page()


def no_overflow(page) -> bool:
    return (
        page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        <= 0
    )


def test_a_key_position_holder_acknowledges_the_duty_list_on_a_phone(
    phone_page, live_server, org, django_capture_on_commit_callbacks
):
    law = regulation(title="反不正当竞争法")
    clause = RegulationClause.objects.create(
        page=law, number="第七条", heading="商业贿赂", text="经营者不得采用财物或者其他手段贿赂。"
    )
    head = person(org, role=ComplianceRole.COMPLIANCE_HEAD, user__full_name="张负责人")
    post = key_position(org, "采购专员")
    buyer = person(org, position=post, user__full_name="钱采购", employee_number="YJ-088")
    with django_capture_on_commit_callbacks(execute=True):
        write(head.user, post, "严格执行采购招投标制度，不收受回扣。", clause_ids=[clause.pk])

    page = phone_page
    sign_in(page, live_server, buyer.user.email)
    page.goto(f"{live_server.url}/duty-lists/")
    assert page.locator("h1").inner_text() == "我的岗位合规职责"
    assert no_overflow(page)
    page.get_by_role("link", name="阅读并确认").click()
    text = page.locator("article.duty-list-text").inner_text()
    assert "不收受回扣" in text and "第七条" in text and "YJ-088" in text
    assert no_overflow(page)

    page.fill("#typed_name", "钱")  # not the full name: refused, what was typed kept
    page.check("input[name=confirm]")
    page.get_by_role("button", name="签字确认").click()
    assert "请输入与花名册一致的本人姓名" in page.locator(".errorlist").inner_text()
    assert page.input_value("#typed_name") == "钱"

    page.fill("#typed_name", "钱采购")
    page.check("input[name=confirm]")
    page.get_by_role("button", name="签字确认").click()
    page.wait_for_load_state("networkidle")
    assert "已确认" in page.content()
    assert page.locator("code").inner_text().strip().isalnum()
    assert no_overflow(page)

    page.context.clear_cookies()
    sign_in(page, live_server, head.user.email)
    page.goto(f"{live_server.url}/duty-lists/coverage/")
    assert "所有重点岗位人员均已确认当前清单" in page.locator("#unacknowledged").inner_text()
    assert no_overflow(page)
