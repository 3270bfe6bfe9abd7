"""The daily task reminds who answers an open question after N working days (the
organisation's setting, else the default) and escalates it to the head and CCO after 2N; run
again, it sends nothing twice."""

from datetime import datetime, timedelta

import pytest
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from lms.consultations import services, tasks
from lms.consultations.models import Question
from lms.notifications.models import Notification
from tests.consultations.conftest import answer, ask

pytestmark = pytest.mark.django_db
MONDAY = datetime(2026, 11, 30, 10, 0)


def asked_on_monday(world, **kwargs):
    question = ask(world, **kwargs)
    Question.objects.filter(pk=question.pk).update(
        asked_at=timezone.make_aware(MONDAY, timezone.get_current_timezone())
    )
    return question


def remind(day):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return services.unanswered_questions_remind(today=day)


def test_reminded_after_three_working_days_then_escalated(world):
    question = asked_on_monday(world)
    monday = MONDAY.date()
    assert remind(monday + timedelta(days=2)) == {"reminded": 0, "escalated": 0}
    assert remind(monday + timedelta(days=3)) == {"reminded": 1, "escalated": 0}
    assert Notification.objects.filter(user=world["part_time"], kind="consultation_remind")
    assert remind(monday + timedelta(days=3)) == {"reminded": 0, "escalated": 0}
    # the next Monday is the 5th working day, the Tuesday the 6th
    assert remind(monday + timedelta(days=7))["escalated"] == 0
    assert remind(monday + timedelta(days=8)) == {"reminded": 0, "escalated": 1}
    escalated = set(
        Notification.objects.filter(kind="consultation_escalate").values_list("user", flat=True)
    )
    assert escalated == {world["head"].pk, world["cco"].pk}
    assert remind(monday + timedelta(days=9)) == {"reminded": 0, "escalated": 0}
    question.refresh_from_db()
    assert question.reminded_at and question.escalated_at


def test_an_answered_question_is_not_reminded(world):
    question = asked_on_monday(world)
    answer(world, question)
    assert remind(MONDAY.date() + timedelta(days=10)) == {"reminded": 0, "escalated": 0}


def test_the_organisations_own_number_of_working_days(world, client):
    asked_on_monday(world)
    client.force_login(world["head"])
    response = client.post(reverse("consultations:settings"), {"reminder_working_days": "1"})
    assert response.status_code == 302
    assert remind(MONDAY.date() + timedelta(days=1)) == {"reminded": 1, "escalated": 0}
    assert (
        client.post(reverse("consultations:settings"), {"reminder_working_days": "0"}).status_code
        == 400
    )
    client.force_login(world["admin"])
    assert client.get(reverse("consultations:settings")).status_code == 404


def test_the_beat_task_runs_the_service(world, settings):
    question = ask(world)
    Question.objects.filter(pk=question.pk).update(asked_at=timezone.now() - timedelta(days=7))
    assert tasks.remind_unanswered.name in {
        e["task"] for e in settings.CELERY_BEAT_SCHEDULE.values()
    }
    done = tasks.remind_unanswered()
    assert done["reminded"] == 1  # a week: at least three working days
