"""The exam page, on a desktop and on a phone, with its session gone: it still reports leaving
the page through its exam token, its countdown follows a deadline the server moved as soon as
the page is seen again, and a paper the server submitted meanwhile closes the page."""

import re
from decimal import Decimal

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone
from playwright.sync_api import expect

from assessments import services
from assessments.models import Attempt, QuestionKind
from lms.organisations.models import ComplianceRole
from tests.browser.conftest import sign_in
from tests.browser.test_leaving_the_exam_page_three_times_submits_the_paper import (
    SET_VISIBILITY,
    _wait_for_events,
)
from tests.factories.assessments import fill_bank, make_bank, make_blueprint, make_exam
from tests.factories.organisations import person

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_the_page_reports_and_follows_the_server_with_only_its_token(
    request, device, live_server, org
):
    page = request.getfixturevalue("page" if device == "desktop" else "phone_page")
    number = f"T{device[:1].upper()}0401"
    learner = person(org, role=ComplianceRole.NONE, employee_number=number).user
    bank = make_bank(org, name="计时题库")
    fill_bank(bank, count=3, kind=QuestionKind.SINGLE)
    exam = make_exam(
        org,
        blueprint=make_blueprint(bank, sections=[{"count": 3, "points": Decimal(5)}]),
        users=[learner],
        title="计时测验",
        time_limit_minutes=30,
        integrity_watch=True,
        integrity_leave_limit=3,
    )
    sent = []
    page.on(
        "request",
        lambda r: sent.append((r.method, r.url.rsplit("/", 1)[-1], "x-exam-token" in r.headers)),
    )

    sign_in(page, live_server, number)
    page.goto(f"{live_server.url}/exams/{exam.pk}/")
    page.click("#start-exam")
    countdown = page.locator("#countdown")
    expect(countdown).to_have_text(re.compile(r"^(30:00|29:[0-5]\d)$"))
    expect(page.locator("#main-nav")).to_have_count(0)  # the paper's own layout: no menu
    expect(page.locator(".exam-header .who")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    attempt = Attempt.objects.get(exam=exam, user=learner)

    # The session is gone (expired, or Redis and the session store failing): only the token.
    Session.objects.all().delete()
    Attempt.objects.filter(pk=attempt.pk).update(
        deadline=timezone.now() + timezone.timedelta(seconds=95)
    )

    page.evaluate(SET_VISIBILITY, "hidden")
    expect(page.locator("#integrity-warning")).to_contain_text("第 1 次")
    page.evaluate(SET_VISIBILITY, "visible")  # back: the return is reported, the clock asked
    _wait_for_events(attempt, 2)
    expect(countdown).to_have_text(re.compile(r"^01:[23]\d$"))
    assert list(attempt.events.order_by("at", "pk").values_list("kind", flat=True)) == [
        "left_page",
        "returned",
    ]
    assert ("POST", "event", True) in sent
    assert ("GET", "time", True) in sent
    assert page.locator("#session-warning").is_hidden()

    # A proctor (or the server) submits the paper: the next poll closes the page, which goes
    # to the result (by the sign-in page: the session is gone).
    services.attempt_submit(attempt_id=attempt.pk)
    with page.expect_response(lambda r: r.url.endswith("/time")) as polled:
        page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
    assert polled.value.json()["open"] is False
    page.wait_for_url(re.compile(rf"attempts/{attempt.pk}/result"))
    attempt.refresh_from_db()
    assert attempt.status != Attempt.Status.OPEN
