"""The issue's "done when" for consultations, on a phone (390×844): a learner asks a question
from a lesson; the part-time administrator answers citing a clause; the head publishes it and
it shows in the FAQ beside the course; an anonymous report reaches the head and nobody else."""

import pytest

from lms.consultations.models import Report
from tests.browser.conftest import sign_in
from tests.consultations.conftest import build_world
from tests.factories.content import home_page

pytestmark = pytest.mark.django_db(transaction=True)


def no_overflow(page) -> bool:
    return (
        page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        <= 0
    )


def sign_out(page, live_server):
    page.context.clear_cookies()


def test_a_question_from_a_lesson_reaches_the_faq_and_a_report_only_the_head(
    phone_page, live_server, org, other_org
):
    home_page()
    world = build_world(org, other_org)
    page = phone_page
    lesson, course = world["lesson"], world["course"]

    # the learner asks from the lesson
    sign_in(page, live_server, world["learner"].email)
    page.goto(f"{live_server.url}{lesson.url}")
    page.get_by_role("link", name="提出合规咨询").click()
    assert lesson.title in page.locator("main").inner_text()
    assert no_overflow(page)
    page.fill("textarea[name=text]", "商家送的购物卡能收吗？")
    page.get_by_role("button", name="提交咨询").click()
    assert "王兼职" in page.locator("main").inner_text()  # routed up to 商家管理部
    question_url = page.url
    sign_out(page, live_server)

    # the part-time administrator answers, citing a clause found by search
    sign_in(page, live_server, world["part_time"].email)
    page.goto(question_url)
    page.fill("input[name=clause_q]", "贿赂")
    page.get_by_role("button", name="搜索").click()
    page.check("input[name=clauses]")
    page.fill("textarea[name=answer]", "不得收受，应当婉拒并登记。")
    assert no_overflow(page)
    page.get_by_role("button", name="提交答复").click()
    assert "第七条" in page.locator("#answer").inner_text()
    sign_out(page, live_server)

    # the head publishes it; it shows beside the course
    sign_in(page, live_server, world["head"].email)
    page.goto(question_url)
    page.locator("#publish").get_by_role("button", name="发布到常见问题").click()
    assert "商家送的购物卡能收吗？" in page.locator("#faq").inner_text()
    page.goto(f"{live_server.url}{course.url}")
    assert "商家送的购物卡能收吗？" in page.locator("#course-faq").inner_text()
    assert no_overflow(page)
    sign_out(page, live_server)

    # an anonymous report reaches the head and nobody else
    sign_in(page, live_server, world["colleague"].email)
    page.goto(f"{live_server.url}/consultations/report/")
    page.fill("input[name=subject]", "保证金退还收好处费")
    page.fill("textarea[name=description]", "有员工暗示商家支付加急费。")
    page.check("input[name=anonymous]")
    assert no_overflow(page)
    page.get_by_role("button", name="提交举报").click()
    report = Report.objects.get()
    assert report.reporter_id is None
    sign_out(page, live_server)

    sign_in(page, live_server, world["head"].email)
    page.goto(f"{live_server.url}/consultations/reports/")
    page.get_by_role("link", name="保证金退还收好处费").click()
    assert page.locator("#reporter").inner_text() == "匿名"
    assert no_overflow(page)
    sign_out(page, live_server)

    for outsider in ("admin", "part_time", "learner"):
        sign_in(page, live_server, world[outsider].email)
        response = page.goto(f"{live_server.url}/consultations/reports/{report.pk}/")
        assert response.status == 404, outsider
        sign_out(page, live_server)
