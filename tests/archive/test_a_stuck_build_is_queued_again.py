"""An archive whose build the broker lost (still "queued") or whose worker died (still
"running") is queued again by beat (`archive.requeue_stuck`, every five minutes) and built; one
not stuck yet, or just queued again, is left alone."""

import datetime

import pytest
from django.conf import settings
from django.utils import timezone

from lms.archive import services, tasks
from lms.archive.models import InspectionArchive
from lms.resilience.models import OutboxMessage

pytestmark = pytest.mark.django_db


def archive(world, status, *, requested_ago, started_ago=None):
    now = timezone.now()
    return InspectionArchive.objects.create(
        organisation=world["org"],
        start=datetime.date(now.year, 1, 1),
        end=timezone.localdate(),
        requested_by=world["head"].user,
        requested_at=now - requested_ago,
        started_at=None if started_ago is None else now - started_ago,
        status=status,
    )


def requeue(capture):
    with capture(execute=True):
        return tasks.requeue_stuck_archives.apply().get()


def test_an_archive_the_broker_lost_is_built(world, django_capture_on_commit_callbacks):
    lost = archive(world, "queued", requested_ago=services.QUEUED_STALE * 2)
    assert requeue(django_capture_on_commit_callbacks) == 1
    lost.refresh_from_db()
    assert lost.status == "done" and lost.ready and lost.people == 2
    assert requeue(django_capture_on_commit_callbacks) == 0


def test_an_archive_whose_worker_died_is_built_again(world, django_capture_on_commit_callbacks):
    dead = archive(
        world,
        "running",
        requested_ago=services.RUNNING_STALE * 2,
        started_ago=services.RUNNING_STALE + datetime.timedelta(minutes=1),
    )
    assert requeue(django_capture_on_commit_callbacks) == 1
    dead.refresh_from_db()
    assert dead.status == "done" and dead.ready


def test_a_build_not_stuck_yet_is_left_alone(world, django_capture_on_commit_callbacks):
    waiting = archive(world, "queued", requested_ago=datetime.timedelta(minutes=1))
    running = archive(
        world,
        "running",
        requested_ago=datetime.timedelta(minutes=6),
        started_ago=datetime.timedelta(minutes=5),
    )
    assert requeue(django_capture_on_commit_callbacks) == 0
    # a second delivery of a running build's task finds it taken and does nothing
    services.archive_build(archive_id=running.pk)
    running.refresh_from_db()
    waiting.refresh_from_db()
    assert running.status == "running" and not running.file
    assert waiting.status == "queued"


def test_an_archive_queued_again_lately_is_not_queued_twice(
    world, django_capture_on_commit_callbacks
):
    lost = archive(world, "queued", requested_ago=services.QUEUED_STALE * 2)
    OutboxMessage.objects.create(task_name="archive.build", args=[lost.pk], kwargs={})
    assert requeue(django_capture_on_commit_callbacks) == 0
    assert OutboxMessage.objects.filter(task_name="archive.build").count() == 1


def test_beat_runs_it_every_five_minutes():
    entry = settings.CELERY_BEAT_SCHEDULE["archive-requeue-stuck"]
    assert entry["task"] == tasks.requeue_stuck_archives.name == "archive.requeue_stuck"
    assert entry["schedule"] == 300.0
