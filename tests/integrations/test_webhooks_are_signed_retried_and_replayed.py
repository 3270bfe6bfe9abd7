"""An organisation's webhook receives signed events; a receiver that fails or does not answer is
tried again with backoff, then the delivery is marked failed; the event itself always stands;
a failed delivery is sent again from the admin. The receiver is a real HTTP server on
127.0.0.1, started by the test (conftest.receiver)."""

import json
import time

import pytest
from django.core.exceptions import ValidationError

from assessments import services as exams
from assessments.models import Attempt
from certificates import services as certificates
from lms.integrations import events, services, signing
from lms.integrations.models import WebhookDelivery
from lms.records import services as records
from tests.factories.assessments import make_exam
from tests.factories.certificates import CertificateTemplateFactory, issue
from tests.factories.organisations import person

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def quick_retries(settings):
    settings.WEBHOOK_TIMEOUT_SECONDS = 0.5
    settings.WEBHOOK_MAX_ATTEMPTS = 3


@pytest.fixture
def endpoint(head, org, receiver):
    return services.webhook_endpoint_create(
        actor=head, organisation=org, url=receiver.url, event_names=list(events.ALL)
    )


def finalise(organisation, capture, employee_number="E-77"):
    staff = person(organisation, employee_number=employee_number)
    exam = make_exam(organisation, users=[staff.user], title="年度合规考试")
    attempt = exams.attempt_start(exam=exam, user=staff.user)
    with capture(execute=True):
        attempt = exams.attempt_submit(attempt_id=attempt.pk, user=staff.user)
    return attempt


def test_a_receiver_gets_a_signed_exam_finalised_and_verifies_it(
    org, endpoint, receiver, django_capture_on_commit_callbacks
):
    attempt = finalise(org, django_capture_on_commit_callbacks)
    assert len(receiver.received) == 1
    got = receiver.received[0]
    header = got["headers"][signing.HEADER]
    assert signing.signature_valid(
        secret=endpoint.secret, header=header, body=got["body"], now=int(time.time())
    )
    payload = json.loads(got["body"])
    assert payload["event"] == "exam.finalised"
    assert payload["data"]["result_id"] == attempt.pk
    assert payload["data"]["person"]["employee_number"] == "E-77"
    assert got["headers"]["X-Hegui-Event"] == "exam.finalised"
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("delivered", 1, 200)
    assert delivery.response_body == "ok" and delivery.response_ms is not None
    assert str(delivery.event_id) == payload["id"] == got["headers"]["X-Hegui-Delivery"]


def test_a_tampered_delivery_fails_verification(
    org, endpoint, receiver, django_capture_on_commit_callbacks
):
    finalise(org, django_capture_on_commit_callbacks)
    got = receiver.received[0]
    header, body, now = got["headers"][signing.HEADER], got["body"], int(time.time())
    tampered = body.replace(b'"passed":false', b'"passed":true')
    assert tampered != body
    assert not signing.signature_valid(
        secret=endpoint.secret, header=header, body=tampered, now=now
    )
    stamp, mac = header.split(",")
    other_time = f"t={int(stamp[2:]) + 1},{mac}"
    assert not signing.signature_valid(
        secret=endpoint.secret, header=other_time, body=body, now=now
    )
    assert not signing.signature_valid(secret="whsec_wrong", header=header, body=body, now=now)
    assert not signing.signature_valid(
        secret=endpoint.secret, header=header, body=body, now=now + 3600
    )


@pytest.mark.parametrize("failure", ["answers 500", "times out"])
def test_a_failing_receiver_is_retried_then_marked_failed_and_the_event_stands(
    org, endpoint, receiver, django_capture_on_commit_callbacks, failure
):
    if failure == "answers 500":
        receiver.status, receiver.body = 500, b"database down"
    else:
        receiver.delay = 1.5
    attempt = finalise(org, django_capture_on_commit_callbacks)
    assert Attempt.objects.get(pk=attempt.pk).status == Attempt.Status.GRADED
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    assert delivery.status == WebhookDelivery.Status.FAILED
    assert delivery.attempts == 3
    assert len(receiver.received) == 3
    if failure == "answers 500":
        assert (delivery.response_status, delivery.response_body) == (500, "database down")
    else:
        assert delivery.response_status is None and delivery.error == "timed out"
    assert delivery.next_attempt_at is None


def test_a_delivery_waits_longer_after_each_failure(org, endpoint, receiver):
    receiver.status = 503
    [delivery] = services.webhook_event_emit(
        organisation_id=org.pk, event=events.YEAR_CLOSED, data={"year": 2026}
    )
    # the outbox publishes on commit (not in this test's transaction): try by hand
    waits = [services.webhook_delivery_attempt(delivery_id=delivery.pk) for _ in range(3)]
    assert waits == [30, 60, None]
    delivery.refresh_from_db()
    assert delivery.status == "failed"


def test_a_failed_delivery_is_replayed_from_the_admin(
    client, org, head, other_head, endpoint, receiver, django_capture_on_commit_callbacks
):
    receiver.status = 500
    finalise(org, django_capture_on_commit_callbacks)
    failed = WebhookDelivery.objects.get(endpoint=endpoint)
    assert failed.status == "failed"

    client.force_login(other_head)
    assert client.post(f"/admin/hr-api/deliveries/{failed.pk}/replay/").status_code == 404

    receiver.status = 200
    client.force_login(head)
    page = client.get(f"/admin/hr-api/webhooks/{endpoint.pk}/")
    assert page.status_code == 200
    assert f"/admin/hr-api/deliveries/{failed.pk}/replay/" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/admin/hr-api/deliveries/{failed.pk}/replay/")
    assert response.status_code == 302
    replay = WebhookDelivery.objects.get(replay_of=failed)
    assert replay.status == "delivered" and replay.event_id == failed.event_id
    assert json.loads(receiver.received[-1]["body"])["id"] == str(failed.event_id)


def test_certificates_and_closed_years_are_sent_too(
    org, head, endpoint, receiver, django_capture_on_commit_callbacks
):
    staff = person(org)
    with django_capture_on_commit_callbacks(execute=True):
        certificate = issue(
            holder=staff.user, template=CertificateTemplateFactory(issuing_organisation=org)
        )
    with django_capture_on_commit_callbacks(execute=True):
        certificates.certificate_revoke(certificate=certificate, reason="发证错误", actor=head)
    with django_capture_on_commit_callbacks(execute=True):
        records.year_close(actor=head, organisation=org, year=2025)
    sent = [json.loads(r["body"]) for r in receiver.received]
    assert [p["event"] for p in sent] == [
        "certificate.issued",
        "certificate.revoked",
        "year.closed",
    ]
    assert sent[1]["data"]["reason"] == "发证错误"


def test_another_organisations_events_are_not_sent(
    other_org, endpoint, receiver, django_capture_on_commit_callbacks
):
    finalise(other_org, django_capture_on_commit_callbacks)
    assert receiver.received == []


@pytest.mark.parametrize(
    "url",
    ["ftp://hr.example.cn/hook", "file:///etc/passwd", "javascript:alert(1)", "hr.example.cn"],
)
def test_only_http_addresses_are_accepted(head, org, url):
    with pytest.raises(ValidationError):
        services.webhook_endpoint_create(
            actor=head, organisation=org, url=url, event_names=[events.EXAM_FINALISED]
        )


def test_a_delivery_whose_retry_was_lost_is_queued_again_and_sent_once(
    org, endpoint, receiver, django_capture_on_commit_callbacks
):
    """A worker died holding the retry: beat finds the delivery past due, queues it again
    through the outbox, and it is sent; a late copy of the lost retry then sends nothing."""
    from datetime import timedelta

    from django.utils import timezone

    from lms.integrations import tasks
    from lms.resilience.models import OutboxMessage

    receiver.status = 503
    [delivery] = services.webhook_event_emit(
        organisation_id=org.pk, event=events.YEAR_CLOSED, data={"year": 2026}
    )
    assert services.webhook_delivery_attempt(delivery_id=delivery.pk) == 30  # first try fails
    assert len(receiver.received) == 1
    # its retry is not due yet: a copy of the task arriving now sends nothing
    assert services.webhook_delivery_attempt(delivery_id=delivery.pk, when_due=True) is None
    assert len(receiver.received) == 1
    assert services.webhook_deliveries_requeue_stuck() == 0  # not stuck: just waiting
    # the retry's worker died; twenty minutes on, beat finds it
    receiver.status = 200
    an_hour_ago = timezone.now() - timedelta(hours=1)
    OutboxMessage.objects.filter(task_name=tasks.webhook_deliver.name).update(
        created_at=an_hour_ago
    )
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        created_at=an_hour_ago, next_attempt_at=an_hour_ago + timedelta(seconds=30)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.webhook_deliveries_requeue_stuck() == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, len(receiver.received)) == ("delivered", 2, 2)
    # the lost retry turns up after all: delivered already, nothing is sent twice
    assert services.webhook_delivery_attempt(delivery_id=delivery.pk, when_due=True) is None
    assert services.webhook_deliveries_requeue_stuck() == 0
    assert len(receiver.received) == 2


def test_a_delivery_never_tried_is_queued_again_only_once_in_a_while(org, endpoint, receiver):
    from datetime import timedelta

    from django.utils import timezone

    from lms.resilience.models import OutboxMessage

    [delivery] = services.webhook_event_emit(
        organisation_id=org.pk, event=events.YEAR_CLOSED, data={"year": 2026}
    )
    assert services.webhook_deliveries_requeue_stuck() == 0  # just made
    half_an_hour_ago = timezone.now() - timedelta(minutes=30)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(created_at=half_an_hour_ago)
    OutboxMessage.objects.update(created_at=half_an_hour_ago)  # its first queueing, long ago
    assert services.webhook_deliveries_requeue_stuck() == 1
    assert services.webhook_deliveries_requeue_stuck() == 0  # queued a moment ago


@pytest.mark.django_db(transaction=True)
def test_two_workers_send_two_deliveries_to_one_endpoint_at_once(org, endpoint, receiver):
    """While one worker waits for a slow receiver, another sends the next delivery to the same
    endpoint (each worker locks its delivery, not the endpoint they share)."""
    import threading

    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("two workers at once need two connections to one database: PostgreSQL here")
    receiver.delay = 0.3
    # two deliveries waiting for their workers (made directly: emitting runs them at once here)
    first, second = (
        WebhookDelivery.objects.create(endpoint=endpoint, event=events.YEAR_CLOSED, payload={})
        for _ in range(2)
    )
    waits = {}

    def send(delivery):
        try:
            waits[delivery.pk] = services.webhook_delivery_attempt(
                delivery_id=delivery.pk, when_due=True
            )
        finally:
            connection.close()

    sending = threading.Thread(target=send, args=(first,))
    sending.start()
    while not receiver.received:  # the first worker is waiting for the receiver's answer
        time.sleep(0.01)
    send(second)
    sending.join()
    statuses = dict(WebhookDelivery.objects.values_list("pk", "status"))
    assert statuses == {first.pk: "delivered", second.pk: "delivered"}
    assert waits == {first.pk: None, second.pk: None}
    assert len(receiver.received) == 2


@pytest.mark.django_db(transaction=True)
def test_a_delivery_being_sent_is_held_by_its_worker_without_a_lock(org, endpoint, receiver):
    """While a worker waits for the receiver, a second copy of its task sends nothing, and the
    delivery's row is not locked (no transaction stays open across the network)."""
    import threading

    from django.db import connection, transaction

    if connection.vendor != "postgresql":
        pytest.skip("row locks (SELECT … FOR UPDATE NOWAIT) are PostgreSQL's")
    receiver.delay = 0.3
    delivery = WebhookDelivery.objects.create(
        endpoint=endpoint, event=events.YEAR_CLOSED, payload={}
    )

    def send():
        try:
            services.webhook_delivery_attempt(delivery_id=delivery.pk, when_due=True)
        finally:
            connection.close()

    sending = threading.Thread(target=send)
    sending.start()
    while not receiver.received:
        time.sleep(0.01)
    assert services.webhook_delivery_attempt(delivery_id=delivery.pk) is None  # held
    with transaction.atomic():
        WebhookDelivery.objects.select_for_update(nowait=True).get(pk=delivery.pk)  # unlocked
    sending.join()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.claimed_until) == ("delivered", 1, None)
    assert len(receiver.received) == 1


def test_a_delivery_held_by_a_worker_that_died_is_sent_when_the_hold_lapses(
    org, endpoint, receiver
):
    from datetime import timedelta

    from django.utils import timezone

    delivery = WebhookDelivery.objects.create(
        endpoint=endpoint, event=events.YEAR_CLOSED, payload={}
    )
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        claimed_until=timezone.now() + timedelta(seconds=30)
    )
    assert services.webhook_delivery_attempt(delivery_id=delivery.pk) is None
    assert receiver.received == []
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        claimed_until=timezone.now() - timedelta(seconds=1)
    )
    assert services.webhook_delivery_attempt(delivery_id=delivery.pk) is None  # delivered
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, len(receiver.received)) == ("delivered", 1, 1)
