"""Thin Celery tasks: ids in, one service call, safe to retry."""

from celery import shared_task

from . import services


@shared_task
def campaign_enrol(campaign_id: int) -> int:
    return services.campaign_enrol(campaign_id=campaign_id)


@shared_task
def drawn_people_notify(person_ids: list[int]) -> int:
    return services.drawn_people_notify(person_ids=person_ids)


@shared_task
def rectifications_flag_overdue() -> int:
    return services.rectifications_flag_overdue()


@shared_task
def failed_enterprises_notify(campaign_id: int) -> int:
    return services.failed_enterprises_notify(campaign_id=campaign_id)


@shared_task
def rectification_returned_notify(rectification_id: int, report_id: int) -> int:
    return services.rectification_returned_notify(
        rectification_id=rectification_id, report_id=report_id
    )
