"""Thin Celery tasks: call a service, safe to retry."""

from celery import shared_task


@shared_task(name="consultations.remind_unanswered")
def remind_unanswered():
    from . import services

    return services.unanswered_questions_remind()
