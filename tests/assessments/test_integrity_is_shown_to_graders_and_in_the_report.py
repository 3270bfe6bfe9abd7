"""Graders see, next to an answer, how its paper was taken; the exam's report lists every
attempt's integrity events in server time, named in words."""

from decimal import Decimal

import pytest
from django.urls import reverse

from assessments import services
from assessments.models import QuestionKind
from tests.factories.assessments import fill_bank, make_bank, make_blueprint, make_exam

pytestmark = pytest.mark.django_db


@pytest.fixture
def exam(org, learner):
    bank = make_bank(org)
    fill_bank(bank, count=2, kind=QuestionKind.SHORT_ANSWER)
    blueprint = make_blueprint(
        bank, sections=[{"count": 2, "points": Decimal(5), "kind": QuestionKind.SHORT_ANSWER}]
    )
    return make_exam(
        org, blueprint=blueprint, users=[learner], integrity_watch=True, integrity_leave_limit=2
    )


@pytest.fixture
def left_twice(exam, learner):
    attempt = services.attempt_start(exam=exam, user=learner)
    for kind in ["left_page", "returned", "paste", "left_window"]:
        services.attempt_event_record(attempt_id=attempt.pk, user_id=learner.pk, kind=kind)
    attempt.refresh_from_db()
    return attempt


def test_the_grading_queue_shows_the_events_next_to_the_answer(
    client, compliance_admin, left_twice
):
    assert left_twice.status == "awaiting_grading"
    client.force_login(compliance_admin)
    page = client.get(reverse("assessments_admin:grading_queue")).content.decode()
    assert "离开考试页面" in page  # "Left the exam page", in the default language
    assert "粘贴" in page
    assert "离开页面过多" in page  # submitted by the server: the limit
    assert "left_page" not in page and "limit_submitted" not in page


def test_the_exam_report_lists_each_attempts_events(client, compliance_admin, exam, left_twice):
    client.force_login(compliance_admin)
    response = client.get(reverse("assessments_admin:exam_report", args=[exam.pk]))
    page = response.content.decode()
    assert 'id="integrity-log"' in page
    assert f'data-attempt="{left_twice.pk}"' in page
    assert left_twice.user.full_name in page
    assert page.count("离开考试页面") >= 1 and "切换到其他窗口" in page
    logs = response.context["integrity_logs"]
    assert [log.leaves for log in logs] == [2]
    assert [e.kind for e in logs[0].events] == [
        "left_page",
        "returned",
        "paste",
        "left_window",
        "limit_submitted",
    ]


def test_a_report_without_events_says_so(client, compliance_admin, org, learner):
    quiet = make_exam(org, users=[learner])
    client.force_login(compliance_admin)
    page = client.get(reverse("assessments_admin:exam_report", args=[quiet.pk])).content.decode()
    assert 'id="integrity-log"' not in page and "没有记录" in page
