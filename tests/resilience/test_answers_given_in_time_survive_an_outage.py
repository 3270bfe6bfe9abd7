"""An answer given before the deadline while the server was failing is accepted when the page
sends it again: the server extends the grace by the outages it recorded itself."""

import json
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.signals import got_request_exception
from django.db import OperationalError, connection, connections
from django.urls import reverse
from django.utils import timezone

from assessments import services
from assessments.models import Attempt, QuestionKind
from lms.organisations.models import ComplianceRole
from lms.resilience import outages
from lms.resilience.models import OutageWindow
from tests.factories.assessments import fill_bank, make_bank, make_blueprint, make_exam
from tests.factories.organisations import person

pytestmark = pytest.mark.django_db

T0 = timezone.make_aware(datetime(2027, 3, 1, 9, 0))


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


@pytest.fixture(autouse=True)
def _no_noted_failure():
    outages._failure_started = None
    yield
    outages._failure_started = None


@pytest.fixture
def learner(org):
    return person(org, role=ComplianceRole.NONE).user


@pytest.fixture
def attempt(org, learner):
    bank = make_bank(org)
    fill_bank(bank, count=3, kind=QuestionKind.SINGLE)
    blueprint = make_blueprint(
        bank, sections=[{"count": 2, "points": Decimal(5), "kind": QuestionKind.SINGLE}]
    )
    exam = make_exam(
        org,
        blueprint=blueprint,
        users=[learner],
        time_limit_minutes=30,
        opens_at=T0 - timedelta(days=1),
        closes_at=T0 + timedelta(days=1),
    )
    with time_machine.travel(T0, tick=False):
        return services.attempt_start(exam=exam, user=learner)


def save(client, attempt, seq):
    client.force_login(attempt.user)  # the session is as old as the travelled-to time
    item = attempt.items.select_related("question").order_by("position").first()
    return client.post(
        reverse("assessments:response_save", args=[attempt.pk]),
        data=json.dumps({"question": item.question_id, "answer": item.question.key, "seq": seq}),
        content_type="application/json",
    )


def beat_at(minutes: float) -> None:
    outages.heartbeat(now=at(minutes))


def test_an_answer_kept_through_an_outage_over_the_deadline_is_accepted_after_it(
    client, attempt, learner
):
    beat_at(29)
    beat_at(29.25)
    # PostgreSQL (or the broker) is away from 29:15 to 33:00; the heartbeat sees the gap
    beat_at(33)
    assert OutageWindow.objects.get().ended_at == at(33)

    with time_machine.travel(at(34), tick=False):
        response = save(client, attempt, seq=1)
        assert response.status_code == 200 and response.json() == {
            "ok": True,
            "seq": 1,
            "stale": False,
        }
        assert services.attempts_submit_expired() == 0
        page = client.get(reverse("assessments:attempt_take", args=[attempt.pk]))
        assert page.status_code == 200

    # five minutes after the outage the page has had its chance: the paper closes at its deadline
    for quarter in range(4 * 33 + 1, 4 * 38 + 2):  # beat ran every 15 s since the outage
        beat_at(quarter / 4)
    with time_machine.travel(at(38.5), tick=False):
        assert save(client, attempt, seq=2).status_code == 409
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.GRADED and attempt.auto_submitted
    assert attempt.submitted_at == attempt.deadline
    assert attempt.score == 5  # the answer sent after the outage counts


def test_without_an_outage_a_late_save_is_refused_as_before(client, attempt, learner):
    for half in range(2 * 29, 2 * 31 + 2):  # beat every 30 s: no outage
        beat_at(half / 2)
    assert not OutageWindow.objects.exists()
    with time_machine.travel(at(31.5), tick=False):
        assert save(client, attempt, seq=1).status_code == 409
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.GRADED and attempt.score == 0


def test_while_beat_has_not_been_heard_from_nothing_is_closed(client, attempt, learner):
    """The database came back a moment ago and no heartbeat has run yet: the silence since the
    last one is taken as an outage still going on."""
    beat_at(29.5)
    with time_machine.travel(at(33), tick=False):
        assert services.attempts_submit_expired() == 0
        assert save(client, attempt, seq=1).status_code == 200
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.OPEN


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a refused PostgreSQL connection")
def test_a_request_failing_on_the_database_notes_an_outage_written_once_it_answers(
    client, attempt, learner, closed_port
):
    settings_dict = {**connection.settings_dict, "PORT": str(closed_port), "HOST": "127.0.0.1"}
    down = connections["default"].__class__(settings_dict)  # a second wrapper, aimed at nothing
    with time_machine.travel(at(29.5), tick=False):
        try:
            down.ensure_connection()
        except OperationalError:
            got_request_exception.send(sender=None, request=None)
        else:
            pytest.fail("the closed port accepted a connection")
    assert outages._failure_started == at(29.5)

    with time_machine.travel(at(32), tick=False):
        assert save(client, attempt, seq=1).status_code == 200  # the first request writes it
    window = OutageWindow.objects.get()
    assert (window.started_at, window.ended_at, window.source) == (at(29.5), at(32), "web")
    assert outages._failure_started is None


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's error codes")
def test_a_request_failing_on_a_deadlock_is_not_an_outage():
    from psycopg import errors

    with pytest.raises(OperationalError) as failure, connection.cursor() as cursor:
        cursor.execute("DO $$ BEGIN RAISE EXCEPTION USING ERRCODE = '40P01'; END $$")
    assert isinstance(failure.value.__cause__, errors.DeadlockDetected)
    assert not outages.is_connection_failure(failure.value)
