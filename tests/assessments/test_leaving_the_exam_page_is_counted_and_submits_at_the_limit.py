"""A learner who leaves the exam page is warned and counted by the server; at the exam's limit
the server submits the paper. Only the attempt's owner reports, only while it is open, and only
events the page reports: the page cannot submit by claiming a limit."""

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessments import services
from assessments.exceptions import AttemptClosed
from assessments.models import Attempt, AttemptEvent, ExamKind
from lms.audit.models import AuditEntry
from tests.factories.assessments import make_exam

pytestmark = pytest.mark.django_db


@pytest.fixture
def exam(org, learner):
    return make_exam(
        org, users=[learner], time_limit_minutes=30, integrity_watch=True, integrity_leave_limit=3
    )


@pytest.fixture
def attempt(exam, learner):
    return services.attempt_start(exam=exam, user=learner)


def report(client, attempt, kind, **extra):
    return client.post(
        reverse("assessments:attempt_event", args=[attempt.pk]),
        data=json.dumps({"kind": kind, **extra}),
        content_type="application/json",
    )


def test_each_leaving_is_stored_at_server_time_and_counted(client, attempt, learner):
    client.force_login(learner)
    before = timezone.now()
    first = report(client, attempt, "left_page")
    assert first.status_code == 200
    assert first.json() | {"resultUrl": None} == {
        "ok": True,
        "leaves": 1,
        "limit": 3,
        "submitted": False,
        "resultUrl": None,
    }
    assert report(client, attempt, "returned").json()["leaves"] == 1
    assert report(client, attempt, "left_window").json()["leaves"] == 2
    events = list(attempt.events.order_by("at", "pk"))
    assert [e.kind for e in events] == ["left_page", "returned", "left_window"]
    assert all(before <= e.at <= timezone.now() for e in events)
    assert events[1].detail.startswith("离开") or "Away" in events[1].detail
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.OPEN


def test_the_third_leaving_submits_the_paper_through_the_submit_service(client, attempt, learner):
    client.force_login(learner)
    report(client, attempt, "left_page")
    report(client, attempt, "returned")
    report(client, attempt, "left_full_screen")
    third = report(client, attempt, "left_page").json()
    assert third["submitted"] is True and third["leaves"] == 3
    assert third["resultUrl"] == reverse("assessments:attempt_result", args=[attempt.pk])
    attempt.refresh_from_db()
    assert attempt.status != Attempt.Status.OPEN and attempt.submitted_at is not None
    assert attempt.items.filter(is_closed=False).count() == 0  # closed and graded by the service
    closing = attempt.events.get(kind=AttemptEvent.Kind.LIMIT_SUBMITTED)
    assert "3" in closing.detail
    entry = AuditEntry.objects.get(action="attempt.integrity_submit", object_id=str(attempt.pk))
    assert entry.data["reason"] == "leave_limit"


def test_copy_and_paste_are_recorded_but_never_counted_as_leaving(client, attempt, learner):
    client.force_login(learner)
    for kind in ["copy", "paste", "context_menu", "copy"]:
        assert report(client, attempt, kind).json()["leaves"] == 0
    attempt.refresh_from_db()
    assert attempt.is_open and attempt.events.count() == 4


def test_a_forged_limit_reached_from_the_page_does_not_submit(client, attempt, learner):
    client.force_login(learner)
    forged = report(client, attempt, "limit_submitted")
    assert forged.status_code == 400
    claimed = report(client, attempt, "left_page", leaves=99, limitReached=True, submit=True)
    assert claimed.json()["leaves"] == 1 and claimed.json()["submitted"] is False
    attempt.refresh_from_db()
    assert attempt.is_open
    assert not attempt.events.filter(kind=AttemptEvent.Kind.LIMIT_SUBMITTED).exists()


@pytest.mark.parametrize("body", ["not json", "[]", json.dumps({"kind": 3}), "{}"])
def test_malformed_events_are_400_and_store_nothing(client, attempt, learner, body):
    client.force_login(learner)
    response = client.post(
        reverse("assessments:attempt_event", args=[attempt.pk]),
        data=body,
        content_type="application/json",
    )
    assert response.status_code == 400 and response.json()["error"]
    assert not attempt.events.exists()


def test_an_event_for_someone_elses_attempt_is_404(client, attempt, org, exam):
    from lms.organisations.models import ComplianceRole
    from tests.factories.organisations import person

    colleague = person(org, role=ComplianceRole.NONE).user
    services.exam_assign(exam=exam, users=[colleague])
    client.force_login(colleague)
    for _ in range(3):
        assert report(client, attempt, "left_page").status_code == 404
    attempt.refresh_from_db()
    assert attempt.is_open and not attempt.events.exists()


def test_an_event_for_a_closed_attempt_is_refused(client, attempt, learner):
    services.attempt_submit(attempt_id=attempt.pk, user=learner)
    client.force_login(learner)
    response = report(client, attempt, "left_page")
    assert response.status_code == 409 and response.json()["error"]
    assert not attempt.events.exists()


def test_an_event_after_the_deadline_submits_at_the_deadline_and_is_refused(
    client, attempt, learner
):
    client.force_login(learner)
    later = attempt.deadline + timedelta(minutes=5)
    with pytest.raises(AttemptClosed):
        services.attempt_event_record(
            attempt_id=attempt.pk, user_id=learner.pk, kind="left_page", now=later
        )
    attempt.refresh_from_db()
    assert attempt.submitted_at == attempt.deadline and not attempt.events.exists()


def test_events_need_a_session_and_the_csrf_token(client, attempt, learner):
    assert report(client, attempt, "left_page").status_code == 401
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(learner)
    assert report(browser, attempt, "left_page").status_code == 403  # no CSRF token
    assert not attempt.events.exists()
    browser.get(reverse("assessments:attempt_take", args=[attempt.pk]))
    token = browser.cookies["csrftoken"].value
    response = browser.post(
        reverse("assessments:attempt_event", args=[attempt.pk]),
        data=json.dumps({"kind": "left_page"}),
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 200 and attempt.events.count() == 1


def test_without_watching_the_page_leaving_is_logged_but_never_submits(client, org, learner):
    exam = make_exam(org, users=[learner], integrity_leave_limit=1)
    attempt = services.attempt_start(exam=exam, user=learner)
    client.force_login(learner)
    assert report(client, attempt, "left_page").json()["submitted"] is False
    attempt.refresh_from_db()
    assert attempt.is_open


def test_spot_check_exams_watch_by_default_and_the_page_carries_the_rules(
    client, exam, attempt, learner
):
    from tests.factories.assessments import fill_bank, make_bank, make_blueprint
    from tests.factories.organisations import RegulatorFactory

    regulator = RegulatorFactory()
    bank = make_bank(regulator)
    fill_bank(bank, count=5)
    spot = make_exam(regulator, kind=ExamKind.SPOT_CHECK, blueprint=make_blueprint(bank))
    assert spot.integrity_watch is True and spot.integrity_leave_limit == 3
    annual = make_exam(regulator, blueprint=make_blueprint(bank))
    assert annual.integrity_watch is False and annual.integrity_leave_limit is None

    client.force_login(learner)
    page = client.get(reverse("assessments:attempt_take", args=[attempt.pk]))
    config = page.context["config"]["integrity"]
    assert config["watch"] is True and config["limit"] == 3
    assert config["eventUrl"] == reverse("assessments:attempt_event", args=[attempt.pk])
    assert 'id="integrity-warning"' in page.content.decode()
    start = client.get(reverse("assessments:exam_start", args=[exam.pk])).content.decode()
    assert 'id="integrity-rules"' in start
