"""A regulator runs a spot check end to end in a real browser: creates a campaign, commits the
seed, draws, starts; the drawn staff take the sealed exam; the regulator closes it; the failing
enterprise submits a rectification that the regulator accepts; the public page says MATCH."""

from datetime import timedelta

import pytest
from django.utils import timezone

from assessments.models import Question
from assessments.spotchecks.models import Campaign, DrawnPerson, Rectification
from tests.browser.conftest import sign_in
from tests.factories.spotchecks import make_world

pytestmark = pytest.mark.django_db(transaction=True)


def as_user(browser, live_server, login):
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    context.set_default_timeout(15_000)
    page = context.new_page()
    sign_in(page, live_server, login)
    return context, page


def take_exam(page, live_server, *, correct: bool) -> None:
    page.goto(f"{live_server.url}/spotchecks/mine/")
    page.click("text=进入考试")
    page.click("#start-exam")
    questions = page.locator("fieldset.question")
    questions.first.wait_for()
    for i in range(questions.count()):
        question = questions.nth(i)
        key = Question.objects.get(pk=question.get_attribute("data-question")).key[0]
        if correct:
            question.locator(f"input[value='{key}']").check()
        else:
            question.locator(f"input:not([value='{key}'])").first.check()
        question.locator(".save-state[data-state=saved]").wait_for()
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#submit-attempt")
    page.wait_for_url("**/result")


def test_a_spot_check_from_campaign_to_public_verification(browser, page, live_server, tmp_path):
    world = make_world(enterprises=2, admins=1, inspectors=2)
    officer = world.officer.email
    now = timezone.localtime()

    sign_in(page, live_server, officer)
    page.click("nav.main-nav >> text=监管抽查")
    page.click("text=新建抽查任务")
    page.fill("#id_title", "浏览器抽查任务")
    page.fill("#id_enterprise_count_value", "2")
    page.fill("#id_role_admin_full", "1")
    page.fill("#id_inspectors_per_enterprise", "1")
    page.fill("#id_opens_at", (now - timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_closes_at", (now + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"))
    page.click("button:has-text('保存草稿')")
    page.locator("[data-testid=scope-size]").wait_for()
    assert page.locator("[data-testid=scope-size]").inner_text() == "2"

    page.click("button:has-text('承诺种子')")
    campaign = Campaign.objects.get(title="浏览器抽查任务")
    seed_hash = campaign.draw.seed_hash
    assert page.locator("[data-testid=seed-hash]").inner_text() == seed_hash
    page.click("button:has-text('抽取')")
    page.locator("[data-testid=verification]").wait_for()
    assert page.locator("[data-testid=verification]").inner_text() == "一致 MATCH"
    page.click("button:has-text('开始考试')")
    page.locator("#progress").wait_for()

    drawn = {
        p.drawn_enterprise.enterprise_id: p
        for p in DrawnPerson.objects.filter(campaign=campaign).select_related(
            "user", "drawn_enterprise"
        )
    }
    passing, failing = [drawn[e.pk] for e in world.enterprises]
    for drawn_person, correct in ((passing, True), (failing, False)):
        context, staff_page = as_user(browser, live_server, drawn_person.user.email)
        take_exam(staff_page, live_server, correct=correct)
        context.close()
    passing.refresh_from_db()
    failing.refresh_from_db()
    assert (passing.outcome, failing.outcome) == ("passed", "failed")

    page.reload()
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("button:has-text('结束抽查')")
    page.locator("text=已结束。").wait_for()
    rectification = Rectification.objects.get(drawn_enterprise__campaign=campaign)
    assert rectification.drawn_enterprise.enterprise_id == failing.drawn_enterprise.enterprise_id

    head = world.heads[failing.drawn_enterprise.enterprise_id]
    context, head_page = as_user(browser, live_server, head.email)
    head_page.click("nav.main-nav >> text=监管抽查")
    head_page.click("text=浏览器抽查任务")
    assert head_page.locator("[data-testid=verdict]").inner_text() == "不符合要求"
    assert failing.user.full_name in head_page.content()
    head_page.click("text=待提交报告")
    report = tmp_path / "整改报告.pdf"
    report.write_bytes(b"%PDF-1.4\n% rectification report\n")
    head_page.fill("#id_text", "已组织合规管理员重新学习并通过内部考试。")
    head_page.set_input_files("#id_attachments", str(report))
    head_page.click("button:has-text('提交报告')")
    head_page.locator("[data-testid=rectification-status]").wait_for()
    assert head_page.locator("[data-testid=rectification-status]").inner_text() == "报告已提交"
    context.close()

    page.goto(f"{live_server.url}/spotchecks/rectifications/{rectification.pk}/")
    page.click("button:has-text('通过')")
    assert page.locator("[data-testid=rectification-status]").inner_text() == "已通过"

    public = browser.new_context(locale="zh-CN")
    public_page = public.new_page()
    public_page.goto(f"{live_server.url}/spotchecks/public/{campaign.pk}/")
    assert public_page.locator("[data-testid=verification]").inner_text() == "一致 MATCH"
    results = public_page.locator("[data-testid=public-results]").inner_text()
    for enterprise in world.enterprises:
        assert enterprise.name in results
    assert "已通过" in results
    assert failing.user.full_name not in public_page.content()
    public.close()
