"""Thin Celery tasks: they take ids and call a service; each is safe to repeat."""

from celery import shared_task

from . import services


@shared_task(name="archive.build", acks_late=True)
def build_archive(archive_id: int) -> None:
    services.archive_build(archive_id=archive_id)


@shared_task(name="archive.requeue_stuck")
def requeue_stuck_archives() -> int:
    return services.archives_requeue_stuck()
