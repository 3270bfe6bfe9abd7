"""Redis is down (a refused connection, not a mock): people still sign in, start an exam, save
their answers and submit, on PostgreSQL alone; the rate limits keep counting."""

import json
import logging
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse

from assessments.models import Attempt, QuestionKind
from lms.organisations.models import ComplianceRole
from lms.resilience import metrics
from tests.factories.assessments import fill_bank, make_bank, make_blueprint, make_exam
from tests.factories.organisations import PASSWORD, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def learner(org):
    return person(org, role=ComplianceRole.NONE).user


@pytest.fixture
def exam(org, learner):
    bank = make_bank(org)
    fill_bank(bank, count=4, kind=QuestionKind.SINGLE)
    blueprint = make_blueprint(
        bank, sections=[{"count": 3, "points": Decimal(5), "kind": QuestionKind.SINGLE}]
    )
    return make_exam(org, blueprint=blueprint, users=[learner], time_limit_minutes=30)


def test_an_examinee_signs_in_starts_saves_and_submits_while_redis_is_down(
    client, exam, learner, redis_down, caplog
):
    caplog.set_level(logging.WARNING, logger="lms.resilience.cache")
    errors_before = metrics.snapshot().get("cache_errors", 0)

    response = client.post("/accounts/login/", {"login": learner.email, "password": PASSWORD})
    assert response.status_code == 302 and response.url == "/"
    assert client.get(reverse("assessments:my_exams")).status_code == 200

    response = client.post(reverse("assessments:exam_start", args=[exam.pk]))
    attempt = Attempt.objects.get(exam=exam, user=learner)
    assert response.status_code == 302
    assert response.url == reverse("assessments:attempt_take", args=[attempt.pk])
    assert client.get(response.url).status_code == 200

    item = attempt.items.select_related("question").first()
    response = client.post(
        reverse("assessments:response_save", args=[attempt.pk]),
        data=json.dumps({"question": item.question_id, "answer": item.question.key, "seq": 1}),
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["ok"]

    response = client.post(
        reverse("assessments:attempt_submit", args=[attempt.pk]),
        data="{}",
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["ok"]
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.GRADED
    assert attempt.score == 5

    assert "cache unreachable" in caplog.text
    assert metrics.snapshot()["cache_errors"] > errors_before


def test_failed_sign_ins_still_lock_the_account_while_redis_is_down(client, learner, redis_down):
    for _ in range(5):
        response = client.post("/accounts/login/", {"login": learner.email, "password": "wrong"})
        assert response.status_code == 200
    response = client.post("/accounts/login/", {"login": learner.email, "password": PASSWORD})
    assert response.status_code == 200  # locked for the rest of the five minutes
    assert "_auth_user_id" not in client.session


def test_the_cache_answers_from_process_memory_and_goes_back_to_redis(redis_down, settings):
    cache.set("kept", 1, 30)
    assert cache.get("kept") == 1
    assert cache.add("kept", 2, 30) is False
    assert cache.incr("kept") == 2
