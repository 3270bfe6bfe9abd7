"""Thin Celery tasks: call a service, safe to retry."""

from celery import shared_task


@shared_task
def year_end_entries_all(year: int | None = None) -> int:
    """On 1 January: last year's overdue mandatory courses and annual exams not sat, for every
    active enterprise whose year is still open (closing the year does it too)."""
    from django.utils import timezone

    from lms.organisations.selectors import enterprises

    from .models import ClosedYear
    from .year_end import year_end_entries

    year = year or timezone.localdate().year - 1
    closed = set(ClosedYear.objects.filter(year=year).values_list("organisation_id", flat=True))
    total = 0
    for organisation in enterprises().filter(is_active=True).exclude(pk__in=closed):
        total += sum(year_end_entries(organisation=organisation, year=year).values())
    return total


@shared_task(name="records.scores_refresh_people")
def scores_refresh_people(organisation_id: int, year: int, user_ids: list[int]) -> int:
    from .scores import scores_refresh

    return scores_refresh(organisation_id=organisation_id, year=year, user_ids=user_ids)


@shared_task(name="records.scores_refresh_organisation")
def scores_refresh_organisation(organisation_id: int, year: int) -> int:
    from .scores import scores_refresh

    return scores_refresh(organisation_id=organisation_id, year=year)


@shared_task(name="records.scores_refresh_open_years")
def scores_refresh_open_years() -> int:
    from .scores import scores_refresh_open_years as refresh

    return refresh()
