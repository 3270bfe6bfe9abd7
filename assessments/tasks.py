"""Thin Celery tasks of the exam engine: each calls one service and is safe to retry."""

from celery import shared_task

from . import services


@shared_task
def submit_expired_attempts() -> int:
    return services.attempts_submit_expired()


@shared_task
def open_annual_exams() -> list[int]:
    return [exam.pk for exam in services.annual_exams_open_due()]


@shared_task
def send_exam_reminders() -> int:
    return services.exam_reminders_send()


@shared_task
def sync_exam_audiences(organisation_id: int, staff_ids: list[int] | None = None) -> int:
    return services.exams_sync_audiences_for_organisation(
        organisation_id=organisation_id, staff_ids=staff_ids
    )
