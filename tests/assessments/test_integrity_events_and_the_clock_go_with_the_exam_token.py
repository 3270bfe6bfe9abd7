"""The exam page reports leaving the page and polls the server's clock with its exam token, as
its saves do: no session, no user loaded; an integrity event is two queries (the attempt locked,
the event written and counted), the clock one. The limit still submits the paper, the time is
still the server's, someone else's attempt is still refused, and so is a cross-site request."""

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation

from assessments import services, tokens
from assessments.models import Attempt, AttemptEvent
from lms.audit.models import AuditEntry
from lms.organisations.models import ComplianceRole
from tests.factories.assessments import make_exam
from tests.factories.organisations import person

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the two-query event is PostgreSQL's one-statement write; elsewhere the ORM's three",
)


@pytest.fixture
def exam(org, learner):
    return make_exam(
        org, users=[learner], time_limit_minutes=30, integrity_watch=True, integrity_leave_limit=3
    )


@pytest.fixture
def attempt(exam, learner):
    return services.attempt_start(exam=exam, user=learner)


def token_of(attempt, *, user_id=None, language="zh-hans"):
    return tokens.token_issue(
        attempt_id=attempt.pk,
        user_id=user_id or attempt.user_id,
        deadline=attempt.deadline,
        grace=services.SAVE_GRACE,
        language=language,
        now=timezone.now(),
    )


def report(client, attempt, kind, token=None, **meta):
    with translation.override("zh-hans"):
        url = reverse("assessments:attempt_event", args=[attempt.pk])
    if token is not None:
        meta["HTTP_X_EXAM_TOKEN"] = token
    return client.post(
        url, data=json.dumps({"kind": kind}), content_type="application/json", **meta
    )


def clock(client, attempt, token=None, **meta):
    with translation.override("zh-hans"):
        url = reverse("assessments:attempt_time", args=[attempt.pk])
    if token is not None:
        meta["HTTP_X_EXAM_TOKEN"] = token
    return client.get(url, **meta)


def kinds(attempt):
    return list(attempt.events.order_by("at", "pk").values_list("kind", flat=True))


# --- integrity events -------------------------------------------------------------------------


def test_the_page_reports_leaving_with_its_token_and_no_session(client, attempt, learner):
    client.force_login(learner)
    config = client.get(reverse("assessments:attempt_take", args=[attempt.pk])).context["config"]
    client.logout()
    before = timezone.now()

    first = report(client, attempt, "left_page", token=config["token"])

    assert first.status_code == 200, first.content
    assert first.json() == {
        "ok": True,
        "leaves": 1,
        "limit": 3,
        "submitted": False,
        "resultUrl": reverse("assessments:attempt_result", args=[attempt.pk]),
    }
    assert report(client, attempt, "returned", token=config["token"]).json()["leaves"] == 1
    assert report(client, attempt, "copy", token=config["token"]).json()["leaves"] == 1
    assert report(client, attempt, "left_window", token=config["token"]).json()["leaves"] == 2
    assert kinds(attempt) == ["left_page", "returned", "copy", "left_window"]
    assert all(before <= e.at <= timezone.now() for e in attempt.events.all())
    assert "sessionid" not in client.cookies


@postgresql_only
def test_a_token_event_is_two_queries(client, attempt, django_assert_num_queries):
    token = token_of(attempt)
    report(client, attempt, "left_page", token=token)
    with django_assert_num_queries(2):
        response = report(client, attempt, "returned", token=token)
    assert response.status_code == 200
    with django_assert_num_queries(2):
        response = report(client, attempt, "left_window", token=token)
    assert response.json()["leaves"] == 2


def test_the_return_says_how_long_the_person_was_away_in_server_time(attempt, learner):
    left = timezone.now()
    services.attempt_event_record(
        attempt_id=attempt.pk, user_id=learner.pk, kind="left_page", now=left
    )
    with translation.override("zh-hans"):
        services.attempt_event_record(
            attempt_id=attempt.pk,
            user_id=learner.pk,
            kind="returned",
            now=left + timedelta(seconds=7, milliseconds=600),
        )
    with translation.override("en"):
        services.attempt_event_record(
            attempt_id=attempt.pk,
            user_id=learner.pk,
            kind="returned",
            now=left + timedelta(seconds=75),
        )
    details = list(attempt.events.order_by("at").values_list("detail", flat=True))
    assert details == ["", "离开 7 秒", "Away for 75 seconds"]


def test_the_third_leaving_with_the_token_submits_the_paper(client, attempt, learner):
    token = token_of(attempt)
    report(client, attempt, "left_page", token=token)
    report(client, attempt, "returned", token=token)
    report(client, attempt, "left_window", token=token)
    report(client, attempt, "returned", token=token)

    third = report(client, attempt, "left_full_screen", token=token)

    assert third.status_code == 200
    assert third.json()["submitted"] is True and third.json()["leaves"] == 3
    attempt.refresh_from_db()
    assert attempt.status != Attempt.Status.OPEN
    assert kinds(attempt)[-2:] == ["left_full_screen", "limit_submitted"]
    assert AuditEntry.objects.filter(
        action="attempt.integrity_submit", object_id=str(attempt.pk)
    ).exists()
    # the paper is closed: a later event is refused and stored nowhere
    late = report(client, attempt, "left_page", token=token)
    assert late.status_code == 409
    assert attempt.events.count() == 6


def test_a_token_naming_another_person_records_nothing(client, attempt, org):
    other = person(org, role=ComplianceRole.NONE).user
    response = report(client, attempt, "left_page", token=token_of(attempt, user_id=other.pk))
    assert response.status_code == 404
    assert response.json()["ok"] is False
    assert attempt.events.count() == 0


def test_a_token_of_another_attempt_is_refused(client, attempt, exam, org):
    other = person(org, role=ComplianceRole.NONE).user
    exam.candidates.create(user=other)
    theirs = services.attempt_start(exam=exam, user=other)
    response = report(client, theirs, "left_page", token=token_of(attempt))
    assert response.status_code == 401
    assert response.json()["reason"] == "token"
    assert theirs.events.count() == 0


@pytest.mark.parametrize(
    "meta", [{"HTTP_ORIGIN": "https://evil.example"}, {"HTTP_SEC_FETCH_SITE": "cross-site"}]
)
def test_a_cross_site_event_or_poll_is_refused_even_with_a_valid_token(client, attempt, meta):
    token = token_of(attempt)
    response = report(client, attempt, "left_page", token=token, **meta)
    assert response.status_code == 403
    assert response.json()["reason"] == "cross_site"
    assert attempt.events.count() == 0
    assert clock(client, attempt, token=token, **meta).status_code == 403


def test_a_forged_limit_with_the_token_is_refused_before_any_query(
    client, attempt, django_assert_num_queries
):
    with django_assert_num_queries(0):
        response = report(
            client, attempt, AttemptEvent.Kind.LIMIT_SUBMITTED, token=token_of(attempt)
        )
    assert response.status_code == 400
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.OPEN


def test_an_expired_token_is_refused_and_the_session_still_reports(client, attempt, learner):
    expired = tokens.token_issue(
        attempt_id=attempt.pk,
        user_id=attempt.user_id,
        deadline=timezone.now() - timedelta(minutes=2),
        grace=services.SAVE_GRACE,
        language="zh-hans",
        now=timezone.now() - timedelta(minutes=40),
    )
    refused = report(client, attempt, "left_page", token=expired)
    assert refused.status_code == 401 and refused.json()["reason"] == "token"
    assert attempt.events.count() == 0
    client.force_login(learner)
    assert report(client, attempt, "left_page").json()["leaves"] == 1


def test_an_event_after_the_deadline_submits_at_the_deadline_and_is_refused(client, attempt):
    Attempt.objects.filter(pk=attempt.pk).update(
        deadline=timezone.now() - services.SAVE_GRACE - timedelta(seconds=5)
    )
    response = report(client, attempt, "left_page", token=token_of(attempt))
    # the token itself outlives the deadline only by the grace: refused as expired, or, when
    # still valid, the server finds the attempt past its time and submits it
    assert response.status_code in (401, 409)
    if response.status_code == 409:
        attempt.refresh_from_db()
        assert attempt.status != Attempt.Status.OPEN
    assert attempt.events.count() == 0


def test_an_idle_attempt_is_submitted_by_the_event_that_comes_too_late(client, org, learner):
    exam = make_exam(org, users=[learner], time_limit_minutes=60, integrity_idle_minutes=10)
    attempt = services.attempt_start(exam=exam, user=learner)
    Attempt.objects.filter(pk=attempt.pk).update(started_at=timezone.now() - timedelta(minutes=11))
    response = report(client, attempt, "copy", token=token_of(attempt))
    assert response.status_code == 409
    attempt.refresh_from_db()
    assert attempt.status != Attempt.Status.OPEN
    assert kinds(attempt) == ["idle_submitted"]


# --- the countdown's poll ---------------------------------------------------------------------


def test_the_poll_gives_the_servers_clock_and_deadline_in_one_query(
    client, attempt, django_assert_num_queries
):
    token = token_of(attempt)
    before = timezone.now()
    with django_assert_num_queries(1):
        response = clock(client, attempt, token=token)
    assert response.status_code == 200
    body = response.json()
    assert body["open"] is True and body["submitted"] is False
    assert body["deadline"] == int(attempt.deadline.timestamp() * 1000)
    assert before.timestamp() * 1000 - 1 <= body["serverNow"] <= timezone.now().timestamp() * 1000
    assert "no-store" in response["Cache-Control"]
    assert "sessionid" not in client.cookies


def test_the_poll_follows_a_moved_deadline_and_a_submitted_paper(client, attempt):
    token = token_of(attempt)
    later = attempt.deadline + timedelta(minutes=10)
    Attempt.objects.filter(pk=attempt.pk).update(deadline=later)
    assert clock(client, attempt, token=token).json()["deadline"] == int(later.timestamp() * 1000)
    services.attempt_submit(attempt_id=attempt.pk)
    body = clock(client, attempt, token=token).json()
    assert body["open"] is False and body["submitted"] is True
    assert body["resultUrl"] == reverse("assessments:attempt_result", args=[attempt.pk])


def test_the_poll_of_someone_elses_attempt_is_refused(client, attempt, org, learner):
    other = person(org, role=ComplianceRole.NONE).user
    assert clock(client, attempt, token=token_of(attempt, user_id=other.pk)).status_code == 404
    client.force_login(other)
    assert clock(client, attempt).status_code == 404
    client.force_login(learner)
    assert clock(client, attempt).json()["open"] is True
    client.logout()
    assert clock(client, attempt).status_code == 401
