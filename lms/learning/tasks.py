"""Thin Celery tasks: take ids, call a service, safe to retry."""

from celery import shared_task


@shared_task
def assignment_run_for_organisation(organisation_id: int, staff_ids: list[int] | None = None):
    from lms.organisations.models import Organisation

    from . import services

    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None:
        return 0
    return services.assignment_run(organisation=organisation, staff_ids=staff_ids)


@shared_task
def assignment_run_for_curriculum(curriculum_id: int):
    from content.models import Curriculum

    from . import group_assignment

    curriculum = Curriculum.objects.filter(pk=curriculum_id).first()
    if curriculum is None:
        return 0
    return group_assignment.assignment_run_for_curriculum(curriculum=curriculum)


@shared_task
def assignment_run_nightly():
    from . import services

    return services.assignment_run_all()


@shared_task
def reminders_send_daily():
    from . import services

    return services.reminders_send()


@shared_task
def assignment_notices_send_hourly():
    from . import services

    return services.assignment_notices_send()
