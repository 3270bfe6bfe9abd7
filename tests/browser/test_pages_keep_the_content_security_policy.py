"""Under the production content security policy, real pages run without a single violation:
signing in, switching the language, answering an exam question (saved by exam.js) and editing
an exam in the Wagtail admin (whose date pickers are inline scripts)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from assessments.models import AttemptItem, QuestionKind
from lms.organisations.models import ComplianceRole
from lms.security import CONTENT_SECURITY_POLICY
from tests.browser.conftest import sign_in
from tests.factories.assessments import fill_bank, make_bank, make_blueprint, make_exam
from tests.factories.organisations import person

pytestmark = pytest.mark.django_db(transaction=True)


def test_pages_run_under_the_policy_without_violations(page, live_server, org, settings):
    settings.CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    admin = person(org, role=ComplianceRole.ADMIN_FULL_TIME, employee_number="C0001").user
    bank = make_bank(org)
    fill_bank(bank, count=2, kind=QuestionKind.SINGLE)
    blueprint = make_blueprint(bank, sections=[{"count": 2, "points": Decimal(5)}])
    exam = make_exam(org, blueprint=blueprint, users=[admin], title="策略下的考试")

    response = page.goto(f"{live_server.url}/accounts/login/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    sign_in(page, live_server, "C0001")
    page.goto(f"{live_server.url}/learn/")
    page.select_option("select[name=language]", "en")  # site.js submits the form
    page.wait_for_url("**/en/**")

    page.goto(f"{live_server.url}/exams/{exam.pk}/")
    page.click("#start-exam")
    page.locator("fieldset.question").first.locator("label.option").first.click()
    saved = page.locator("fieldset.question").first.locator(".save-state[data-state=saved]")
    saved.wait_for()
    assert AttemptItem.objects.exclude(answer=[]).count() == 1

    response = page.goto(f"{live_server.url}{reverse('exams:edit', args=[exam.pk])}")
    assert "script-src 'self' 'unsafe-inline'" in response.headers["content-security-policy"]
    page.wait_for_load_state("networkidle")
    assert violations == []
