"""Thin Celery tasks: they take ids and call a service; each is safe to repeat."""

from celery import shared_task

from . import services


@shared_task(name="archive.build", acks_late=True)
def build_archive(archive_id: int) -> None:
    services.archive_build(archive_id=archive_id)


@shared_task(name="archive.part", acks_late=True)
def archive_part_task(part_id: int) -> None:
    services.archive_part_build(part_id=part_id)


@shared_task(name="archive.assemble", acks_late=True)
def archive_assemble_task(archive_id: int) -> None:
    services.archive_assemble(archive_id=archive_id)


@shared_task(name="archive.requeue_stuck")
def requeue_stuck_archives() -> int:
    return services.archives_requeue_stuck()
