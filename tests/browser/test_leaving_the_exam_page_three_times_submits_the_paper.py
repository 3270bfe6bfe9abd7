"""A learner who leaves the exam page three times (the exam's limit) is warned each time, sees
the paper submitted by the server, and the event log appears in the exam's report."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from assessments.models import Attempt, AttemptEvent, Exam, QuestionKind
from lms.organisations.models import ComplianceRole
from tests.browser.conftest import sign_in
from tests.factories.assessments import fill_bank, make_bank, make_blueprint, make_exam
from tests.factories.organisations import person

pytestmark = pytest.mark.django_db(transaction=True)

# The page's own listener runs: the document reports itself hidden, then visible again, as a
# browser does when the person switches to another tab or app and back.
SET_VISIBILITY = """state => {
  Object.defineProperty(document, "visibilityState", { value: state, configurable: true });
  Object.defineProperty(document, "hidden", { value: state === "hidden", configurable: true });
  document.dispatchEvent(new Event("visibilitychange"));
}"""


def test_leaving_the_page_three_times_submits_the_paper_and_the_report_shows_it(
    page, browser, live_server, org
):
    learner = person(org, role=ComplianceRole.NONE, employee_number="L0301").user
    admin = person(org, role=ComplianceRole.ADMIN_FULL_TIME, employee_number="A0301").user
    bank = make_bank(org, name="诚信考试题库")
    fill_bank(bank, count=4, kind=QuestionKind.SINGLE)
    blueprint = make_blueprint(bank, sections=[{"count": 4, "points": Decimal(5)}])
    exam = make_exam(
        org,
        blueprint=blueprint,
        users=[learner],
        title="反垄断合规测验",
        time_limit_minutes=30,
        integrity_watch=True,
        integrity_leave_limit=3,
        review_policy=Exam.ReviewPolicy.SCORE_ONLY,
    )

    sign_in(page, live_server, "L0301")
    page.goto(f"{live_server.url}/exams/{exam.pk}/")
    expect(page.locator("#integrity-rules")).to_be_visible()
    page.click("#start-exam")
    page.locator("#countdown").wait_for()
    page.locator("fieldset.question").first.locator("label.option").first.click()
    page.locator("fieldset.question").first.locator(".save-state[data-state=saved]").wait_for()
    attempt = Attempt.objects.get(exam=exam, user=learner)
    warning = page.locator("#integrity-warning")

    for n in (1, 2):
        page.evaluate(SET_VISIBILITY, "hidden")
        expect(warning).to_be_visible()
        expect(warning).to_contain_text(f"第 {n} 次")
        page.evaluate(SET_VISIBILITY, "visible")
        _wait_for_events(attempt, 2 * n)  # the return is stored before leaving again
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.OPEN

    page.evaluate(SET_VISIBILITY, "hidden")
    expect(warning).to_contain_text("试卷已自动提交")
    page.wait_for_url("**/result")
    expect(page.locator("#integrity-submitted")).to_contain_text("离开页面过多")
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.GRADED
    kinds = list(attempt.events.order_by("at", "pk").values_list("kind", flat=True))
    assert kinds == [
        "left_page",
        "returned",
        "left_page",
        "returned",
        "left_page",
        AttemptEvent.Kind.LIMIT_SUBMITTED,
    ]

    grader = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    report = grader.new_page()
    sign_in(report, live_server, "A0301")
    report.goto(f"{live_server.url}/admin/exam-engine/exams/{exam.pk}/report/")
    log = report.locator(f"#integrity-log tr[data-attempt='{attempt.pk}']")
    expect(log).to_contain_text(learner.full_name)
    expect(log).to_contain_text("离开考试页面")
    expect(log).to_contain_text("回到考试页面")
    expect(log).to_contain_text("已自动交卷：离开页面过多")
    assert admin.pk != learner.pk
    grader.close()


def _wait_for_events(attempt, count: int, timeout: float = 10.0) -> None:
    import time

    deadline = time.monotonic() + timeout
    while attempt.events.count() < count:
        assert time.monotonic() < deadline, f"{attempt.events.count()} events, expected {count}"
        time.sleep(0.1)
