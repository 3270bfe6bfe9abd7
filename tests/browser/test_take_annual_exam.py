"""A compliance administrator takes the annual exam in a real browser: reloads, goes offline,
comes back, submits and sees the result; a timed exam runs out and is found submitted."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assessments.models import Attempt, AttemptItem, Exam, QuestionKind
from lms.organisations.models import ComplianceRole
from tests.browser.conftest import sign_in
from tests.factories.assessments import fill_bank, make_bank, make_blueprint, make_exam
from tests.factories.organisations import person

pytestmark = pytest.mark.django_db(transaction=True)


def annual_exam(org, user, *, questions=8, **options) -> Exam:
    bank = make_bank(org, name="年度考试题库")
    fill_bank(bank, count=questions, kind=QuestionKind.SINGLE)
    blueprint = make_blueprint(bank, sections=[{"count": questions, "points": Decimal(5)}])
    options.setdefault("review_policy", Exam.ReviewPolicy.IMMEDIATELY)
    return make_exam(org, blueprint=blueprint, users=[user], title="2026年度合规考试", **options)


def answer(page, index: int) -> None:
    question = page.locator("fieldset.question").nth(index)
    question.locator("label.option").first.click()


def wait_saved(page, index: int) -> None:
    page.locator("fieldset.question").nth(index).locator(".save-state[data-state=saved]").wait_for()


def saved_answers(attempt_id: int) -> int:
    return AttemptItem.objects.filter(attempt_id=attempt_id).exclude(answer=[]).count()


def test_administrator_takes_the_annual_exam_through_a_reload_and_an_outage(
    page, context, live_server, org
):
    admin = person(org, role=ComplianceRole.ADMIN_FULL_TIME, employee_number="A0042").user
    exam = annual_exam(org, admin, time_limit_minutes=60)
    sign_in(page, live_server, "A0042")

    page.goto(f"{live_server.url}/exams/")
    page.click(f"text={exam.title}")
    page.click("#start-exam")
    page.locator("#countdown").wait_for()
    attempt = Attempt.objects.get(exam=exam, user=admin)

    for i in range(4):
        answer(page, i)
        wait_saved(page, i)
    assert saved_answers(attempt.pk) == 4

    page.reload()
    for i in range(4):
        assert page.locator("fieldset.question").nth(i).locator("input:checked").count() == 1
    assert page.locator("fieldset.question").nth(4).locator("input:checked").count() == 0

    context.set_offline(True)
    answer(page, 4)
    answer(page, 5)
    page.locator("#offline-warning").wait_for(state="visible")
    assert page.locator("#save-status").get_attribute("data-state") == "offline"
    assert saved_answers(attempt.pk) == 4
    pending = page.evaluate(
        f"Object.keys(JSON.parse(localStorage.getItem('hegui-attempt-{attempt.pk}')).pending)"
    )
    assert len(pending) == 2

    saves = []
    page.on("request", lambda r: saves.append(r) if r.url.endswith("/save") else None)
    context.set_offline(False)
    page.locator("#save-status[data-state=saved]").wait_for(timeout=15_000)
    assert page.locator("#offline-warning").is_hidden()
    assert saved_answers(attempt.pk) == 6
    # both answers kept offline went in one request, with the exam token, not the session
    sent = [len(r.post_data_json["answers"]) for r in saves]
    assert 2 in sent, sent
    assert all(r.headers.get("x-exam-token") for r in saves)

    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#submit-attempt")
    page.wait_for_url("**/result")
    assert page.locator("#outcome").is_visible()
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.GRADED
    assert str(attempt.percent) in page.locator("#result").inner_text()


def test_a_timed_exam_runs_out_and_is_found_submitted_with_its_answers(page, live_server, org):
    admin = person(org, role=ComplianceRole.ADMIN_FULL_TIME, employee_number="A0043").user
    sign_in(page, live_server, "A0043")
    exam = annual_exam(org, admin, closes_at=timezone.now() + timedelta(seconds=20))
    page.goto(f"{live_server.url}/exams/{exam.pk}/")
    page.click("#start-exam")
    page.locator("#countdown").wait_for()
    for i in range(2):
        answer(page, i)
        wait_saved(page, i)
    page.wait_for_url("**/result", timeout=40_000)
    attempt = Attempt.objects.get(exam=exam, user=admin)
    assert attempt.status == Attempt.Status.GRADED
    assert attempt.auto_submitted and attempt.submitted_at == attempt.deadline
    assert saved_answers(attempt.pk) == 2
    assert page.locator("#result .badge.warn").first.is_visible()


def test_on_a_phone_the_questions_come_one_per_page(phone_page, live_server, org):
    admin = person(org, role=ComplianceRole.ADMIN_FULL_TIME, employee_number="A0044").user
    exam = annual_exam(org, admin, questions=3)
    sign_in(phone_page, live_server, "A0044")
    phone_page.goto(f"{live_server.url}/exams/{exam.pk}/")
    phone_page.click("#start-exam")
    phone_page.locator("#pager").wait_for()
    assert phone_page.locator("fieldset.question:visible").count() == 1
    phone_page.click("#next-question")
    assert phone_page.locator("#pager-position").inner_text() == "2 / 3"


@pytest.mark.parametrize("screen", ["page", "phone_page"])
def test_a_manual_submit_the_server_does_not_take_says_so_and_keeps_trying(
    request, screen, live_server, org
):
    page = request.getfixturevalue(screen)
    admin = person(org, role=ComplianceRole.ADMIN_FULL_TIME, employee_number="A0045").user
    exam = annual_exam(org, admin, questions=2, time_limit_minutes=60)
    sign_in(page, live_server, "A0045")
    page.goto(f"{live_server.url}/exams/{exam.pk}/")
    page.click("#start-exam")
    page.locator("#countdown").wait_for()
    answer(page, 0)
    wait_saved(page, 0)
    attempt = Attempt.objects.get(exam=exam, user=admin)

    # the server fails: first a 503 from the proxy, then no answer at all
    refused = []

    def fail(route):
        refused.append(route.request.url)
        if len(refused) == 1:
            route.fulfill(status=503, body="Service Unavailable")
        else:
            route.abort("connectionrefused")

    page.route("**/submit", fail)
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#submit-attempt")
    warning = page.locator("#submit-warning")
    warning.wait_for(state="visible")
    expect(warning).to_be_in_viewport()  # next to the button, on a phone too
    assert "尚未提交" in warning.inner_text()
    assert page.locator("#submit-attempt").is_disabled()
    # it tries again by itself, and fails again
    page.wait_for_event("requestfailed", lambda request: request.url.endswith("/submit"))
    assert len(refused) == 2
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.OPEN

    page.unroute("**/submit")  # the server is back: the next try goes through
    page.wait_for_url("**/result", timeout=15_000)
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.GRADED and not attempt.auto_submitted


def test_a_refused_exam_token_falls_back_to_the_session(page, live_server, org):
    admin = person(org, role=ComplianceRole.ADMIN_FULL_TIME, employee_number="A0045").user
    exam = annual_exam(org, admin, questions=3, time_limit_minutes=60)
    sign_in(page, live_server, "A0045")
    page.goto(f"{live_server.url}/exams/{exam.pk}/")
    page.click("#start-exam")
    page.locator("#countdown").wait_for()
    attempt = Attempt.objects.get(exam=exam, user=admin)
    sent = []

    def tampered(route):
        headers = dict(route.request.headers)
        sent.append("x-exam-token" in headers)
        if "x-exam-token" in headers:
            headers["x-exam-token"] = headers["x-exam-token"][:-3] + "AAA"
        route.continue_(headers=headers)

    page.route("**/save", tampered)
    answer(page, 0)
    wait_saved(page, 0)
    assert saved_answers(attempt.pk) == 1
    assert sent[0] is True and sent[-1] is False  # refused by the server, then the session
    answer(page, 1)
    wait_saved(page, 1)
    assert saved_answers(attempt.pk) == 2
