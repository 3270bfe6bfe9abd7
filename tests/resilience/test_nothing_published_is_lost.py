"""The broker is down (a refused connection): work commits, the request succeeds, the task
waits in the outbox; once the broker is back the relay publishes it, once."""

import os
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from assessments import services as exam_services
from assessments.models import Attempt, ExamKind, QuestionKind
from certificates import services as certificate_services
from certificates.models import Certificate, CertificateRule
from lms.organisations.models import ComplianceRole, RosterImportJob
from lms.organisations.roster import jobs
from lms.resilience import outbox
from lms.resilience.models import OutboxMessage
from tests.factories.assessments import fill_bank, make_bank, make_blueprint, make_exam
from tests.factories.certificates import CertificateTemplateFactory
from tests.factories.organisations import person
from tests.organisations.files.roster import person_row, xlsx_bytes
from tests.organisations.tenancy import build_world

pytestmark = pytest.mark.django_db

LATER = timedelta(minutes=1)


def confirm_roster_import(client, world, capture) -> RosterImportJob:
    client.force_login(world.admin_a.user)
    rows = [person_row(n, 工号=f"K{n:05d}") for n in (1, 2)]
    response = client.post(
        "/admin/roster/",
        {"organisation": world.a.pk, "file": SimpleUploadedFile("花名册.xlsx", xlsx_bytes(rows))},
        follow=True,
    )
    with capture(execute=True):
        response = client.post(response.redirect_chain[-1][0])
    job = RosterImportJob.objects.get()
    assert response.status_code == 302 and response.url == f"/admin/roster/jobs/{job.pk}/"
    return job


@pytest.fixture
def world(settings, tmp_path):
    settings.ROSTER_UPLOAD_DIR = tmp_path / "uploads"
    return build_world()


def test_a_roster_import_confirmed_while_the_broker_is_down_runs_once_it_is_back(
    client, world, broker_down, django_capture_on_commit_callbacks
):
    job = confirm_roster_import(client, world, django_capture_on_commit_callbacks)

    assert job.status == RosterImportJob.Status.QUEUED
    waiting = OutboxMessage.objects.get()
    assert waiting.task_name == "organisations.run_roster_import_job"
    assert waiting.args == [job.pk] and waiting.published_at is None
    assert "111" in waiting.last_error or "refused" in waiting.last_error.lower()
    # still down: the relay tries, fails, and keeps it
    assert outbox.relay(now=timezone.now() + LATER) == 0
    assert OutboxMessage.objects.get().published_at is None


def test_the_relay_publishes_what_waited_once(
    client, world, closed_port, django_capture_on_commit_callbacks
):
    from tests.resilience.conftest import broker_at

    with broker_at(f"redis://127.0.0.1:{closed_port}/0", eager=False):
        job = confirm_roster_import(client, world, django_capture_on_commit_callbacks)
    assert OutboxMessage.objects.get().published_at is None

    # the broker is back (in-process here): the relay publishes it, and the job runs
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox.relay(now=timezone.now() + LATER) == 1
    job.refresh_from_db()
    assert job.status == RosterImportJob.Status.DONE and job.created == 2
    message = OutboxMessage.objects.get(task_name="organisations.run_roster_import_job")
    assert message.published_at is not None and message.attempts == 2
    # the import's own follow-up tasks (assignment, exam audiences) went through the outbox too
    assert not OutboxMessage.objects.filter(published_at__isnull=True).exists()
    # published once: the next round finds nothing waiting
    assert outbox.relay(now=timezone.now() + LATER) == 0
    assert outbox.publish(message_id=message.pk) is None


def test_a_published_message_is_not_published_by_a_second_publisher(
    django_capture_on_commit_callbacks,
):
    from lms.tasks import ping

    with django_capture_on_commit_callbacks(execute=True):
        message = outbox.enqueue(ping, "one")  # published on commit (in-process here)
    message.refresh_from_db()
    assert message.published_at is not None
    assert outbox.publish(message_id=message.pk) is None
    assert OutboxMessage.objects.get().attempts == 1


def test_grading_the_last_short_answer_with_the_broker_down_is_not_an_error(
    client, org, broker_down, django_capture_on_commit_callbacks
):
    learner = person(org, role=ComplianceRole.ADMIN_FULL_TIME).user
    head = person(org, role=ComplianceRole.COMPLIANCE_HEAD).user
    certificate_services.certificate_rule_save(
        rule=CertificateRule(
            template=CertificateTemplateFactory(issuing_organisation=org),
            exam_kind=ExamKind.ANNUAL,
        )
    )
    bank = make_bank(org)
    fill_bank(bank, count=1, kind=QuestionKind.SINGLE)
    fill_bank(bank, count=1, kind=QuestionKind.SHORT_ANSWER)
    blueprint = make_blueprint(
        bank,
        sections=[
            {"count": 1, "points": Decimal(5), "kind": QuestionKind.SINGLE},
            {"count": 1, "points": Decimal(5), "kind": QuestionKind.SHORT_ANSWER},
        ],
    )
    exam = make_exam(org, blueprint=blueprint, users=[learner], pass_mark=50)
    attempt = exam_services.attempt_start(exam=exam, user=learner)
    for item in attempt.items.select_related("question"):
        answer = item.question.key if item.question.kind == QuestionKind.SINGLE else ["回答"]
        exam_services.response_save(
            attempt_id=attempt.pk,
            user_id=learner.pk,
            question_id=item.question_id,
            answer=answer,
            seq=1,
        )
    with django_capture_on_commit_callbacks(execute=True):
        exam_services.attempt_submit(attempt_id=attempt.pk, user=learner)
    short = attempt.items.get(question__kind=QuestionKind.SHORT_ANSWER)

    client.force_login(head)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("assessments_admin:grade_item", args=[short.pk]), {"points": "4"}
        )

    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.GRADED and attempt.passed
    certificate = Certificate.objects.get(holder=learner)
    assert not certificate.pdf
    waiting = {m.task_name: m.args for m in OutboxMessage.objects.filter(published_at__isnull=True)}
    assert waiting["certificates.render_pdf"] == [certificate.pk]  # the PDF, when it is back
    assert "records.scores_refresh_people" in waiting  # and the kept scores of the result


def test_a_job_stuck_in_queued_is_queued_again_by_beat(
    client, world, closed_port, django_capture_on_commit_callbacks
):
    from tests.resilience.conftest import broker_at

    with broker_at(f"redis://127.0.0.1:{closed_port}/0", eager=False):
        job = confirm_roster_import(client, world, django_capture_on_commit_callbacks)
    # the outbox message was published to a broker that then lost it
    OutboxMessage.objects.update(published_at=timezone.now())
    assert jobs.roster_import_jobs_requeue_stuck() == 0  # not stuck yet

    later = timezone.now() + jobs.QUEUED_STALE + LATER
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs.roster_import_jobs_requeue_stuck(now=later) == 1
    job.refresh_from_db()
    assert job.status == RosterImportJob.Status.DONE
    assert (
        OutboxMessage.objects.filter(task_name="organisations.run_roster_import_job").count() == 2
    )


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL not set")
def test_through_the_real_redis_broker_a_waiting_task_is_published_once(
    closed_port, django_capture_on_commit_callbacks
):
    import redis

    from lms.tasks import ping
    from tests.resilience.conftest import broker_at

    marker = f"outbox-{closed_port}-{timezone.now().timestamp()}"
    with (
        broker_at(f"redis://127.0.0.1:{closed_port}/0", eager=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        message = outbox.enqueue(ping, marker)
    message.refresh_from_db()
    assert message.published_at is None

    queue = redis.Redis.from_url(os.environ["REDIS_URL"])

    def in_queue() -> list[bytes]:
        return [m for m in queue.lrange("celery", 0, -1) if marker.encode() in m]

    try:
        with broker_at(os.environ["REDIS_URL"], eager=False):
            assert outbox.relay(now=timezone.now() + LATER) == 1
            assert outbox.relay(now=timezone.now() + LATER) == 0
        assert len(in_queue()) == 1
        message.refresh_from_db()
        assert message.published_at is not None and message.attempts == 2
    finally:
        for raw in in_queue():
            queue.lrem("celery", 0, raw)
