"""Thin Celery tasks, safe to run again."""

from celery import shared_task
from django.utils import timezone

from . import services


@shared_task(name="oversight.figures_refresh")
def figures_refresh() -> int:
    """This year's figures for every enterprise (and last year's in January, while its
    self-inspection reports are being written)."""
    today = timezone.localdate()
    stored = services.figures_refresh(year=today.year)
    if today.month == 1:
        stored += services.figures_refresh(year=today.year - 1)
    return stored


@shared_task(name="oversight.self_inspections_flag_late")
def self_inspections_flag_late() -> int:
    return services.self_inspections_flag_late()
