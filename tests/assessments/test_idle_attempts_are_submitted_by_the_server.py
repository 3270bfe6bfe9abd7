"""An exam may submit a paper after N minutes without activity: the server measures it from the
last answer saved or event stored, in its own time; the page's clock plays no part."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments import services
from assessments.models import Attempt, AttemptEvent, AttemptItem
from lms.audit.models import AuditEntry
from tests.factories.assessments import make_exam

pytestmark = pytest.mark.django_db


@pytest.fixture
def exam(org, learner):
    return make_exam(org, users=[learner], time_limit_minutes=120, integrity_idle_minutes=10)


def test_the_sweep_submits_an_attempt_idle_since_its_last_save(exam, learner):
    start = timezone.now()
    attempt = services.attempt_start(exam=exam, user=learner, now=start)
    item = attempt.items.first()
    services.response_save(
        attempt_id=attempt.pk,
        user_id=learner.pk,
        question_id=item.question_id,
        answer=["A"],
        seq=1,
        now=start + timedelta(minutes=8),
    )
    assert services.attempts_submit_expired(now=start + timedelta(minutes=17)) == 0
    attempt.refresh_from_db()
    assert attempt.is_open
    assert services.attempts_submit_expired(now=start + timedelta(minutes=18)) == 1
    attempt.refresh_from_db()
    assert not attempt.is_open and attempt.auto_submitted is False
    event = attempt.events.get(kind=AttemptEvent.Kind.IDLE_SUBMITTED)
    assert event.at == start + timedelta(minutes=18) and "10" in event.detail
    entry = AuditEntry.objects.get(action="attempt.integrity_submit", object_id=str(attempt.pk))
    assert entry.data["reason"] == "idle"
    assert AttemptItem.objects.get(pk=item.pk).answer == ["A"]


def test_an_event_is_activity_too(exam, learner):
    start = timezone.now()
    attempt = services.attempt_start(exam=exam, user=learner, now=start)
    services.attempt_event_record(
        attempt_id=attempt.pk, user_id=learner.pk, kind="copy", now=start + timedelta(minutes=9)
    )
    assert services.attempts_submit_idle(now=start + timedelta(minutes=15)) == 0
    assert services.attempts_submit_idle(now=start + timedelta(minutes=19)) == 1


def test_coming_back_to_the_page_after_the_idle_time_finds_it_submitted(client, exam, learner):
    attempt = services.attempt_start(exam=exam, user=learner)
    Attempt.objects.filter(pk=attempt.pk).update(started_at=timezone.now() - timedelta(minutes=11))
    client.force_login(learner)
    response = client.get(reverse("assessments:attempt_take", args=[attempt.pk]))
    assert response.status_code == 302
    assert response.url == reverse("assessments:attempt_result", args=[attempt.pk])
    attempt.refresh_from_db()
    assert not attempt.is_open
    assert attempt.events.filter(kind=AttemptEvent.Kind.IDLE_SUBMITTED).count() == 1


def test_exams_without_idle_minutes_never_submit_for_idleness(org, learner):
    exam = make_exam(org, users=[learner], time_limit_minutes=600)
    start = timezone.now()
    attempt = services.attempt_start(exam=exam, user=learner, now=start)
    assert services.attempts_submit_idle(now=start + timedelta(hours=5)) == 0
    attempt.refresh_from_db()
    assert attempt.is_open
