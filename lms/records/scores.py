"""Live scores kept for the 合规考核 page of large organisations (issue 17: the page for
100,000 staff within 300 ms). Scoring 100,000 people takes a minute, so a page cannot do it per
request: each person's score for an open year is kept in `YearScore`, refreshed

- after a ledger entry of theirs commits (`entry_saved`, a post_save receiver; the refresh goes
  through the outbox to Celery, so the request that made the entry waits for nothing),
- for the whole organisation when its scoring policy gets a new version (`policy_saved`),
- nightly for every enterprise's open years (people who moved department, a platform policy).

The ledger stays the record: a YearScore is derived data, never shown for a closed year (those
are read from the frozen appraisals) and never exported to HR (the export scores live)."""

import logging
import threading
from collections import defaultdict

from django.db import transaction
from django.utils import timezone

from lms.organisations.selectors import staff_active
from lms.resilience import outbox

from . import bulk, scoring
from .models import ClosedYear, LedgerEntry, YearScore

logger = logging.getLogger(__name__)
FIELDS = ("organisation", "year", "staff", "department", "score", "grade", "computed_at")


def scores_refresh(*, organisation_id: int, year: int, user_ids: list[int] | None = None) -> int:
    """Score the organisation's active people (or those of `user_ids`) for `year` and store it;
    people no longer active lose their row. A chunk of people at a time (`roster_scoring`):
    memory bounded by the chunk, a fixed number of queries per chunk whatever the number of
    entries, all in one transaction (a policy error stores nothing). Returns how many were
    stored."""
    from .roster_scoring import roster_appraisals
    from .services import rules_for

    if ClosedYear.objects.filter(organisation_id=organisation_id, year=year).exists():
        return 0
    roster = staff_active().filter(organisation_id=organisation_id)
    stored = YearScore.objects.filter(organisation_id=organisation_id, year=year)
    if user_ids is not None:
        roster = roster.filter(user_id__in=user_ids)
        stored = stored.filter(staff__user_id__in=user_ids)
    rules = rules_for(organisation_id=organisation_id, year=year)
    kept = 0
    try:
        with transaction.atomic():
            now = timezone.now()
            for scored in roster_appraisals(
                organisation_id=organisation_id,
                year=year,
                roster=roster,
                rules=rules,
                user_ids=user_ids,
            ):
                kept += bulk.insert_rows(
                    YearScore,
                    FIELDS,
                    [
                        (
                            organisation_id,
                            year,
                            row.staff_id,
                            row.department_id,
                            row.appraisal.score,
                            row.appraisal.grade,
                            now,
                        )
                        for row in scored
                    ],
                    conflict=["staff", "year"],
                    update=["organisation", "department", "score", "grade", "computed_at"],
                )
            stored.exclude(staff__in=roster.values("pk")).delete()
    except scoring.PolicyError:
        logger.warning(
            "scores of organisation %s, %s not kept: policy error", organisation_id, year
        )
        return 0
    return kept


def scores_refresh_open_years(*, today=None) -> int:
    """Nightly: every active enterprise's current year, and last year while it is not closed."""
    from lms.organisations.selectors import enterprises

    today = today or timezone.localdate()
    refreshed = 0
    for organisation_id in enterprises().filter(is_active=True).values_list("pk", flat=True):
        for year in (today.year - 1, today.year):
            refreshed += scores_refresh(organisation_id=organisation_id, year=year)
    return refreshed


# --- what sets a refresh off -------------------------------------------------------------------

_local = threading.local()


def _pending() -> dict[tuple[int, int], set[int]]:
    if not hasattr(_local, "pending"):
        _local.pending = defaultdict(set)
    return _local.pending


def _flush() -> None:
    """Every callback of a commit calls this; the first sends what waits, the rest find nothing
    (what a rolled-back transaction left waiting goes with the next commit: harmless)."""
    from . import tasks

    pending = _pending()
    waiting = dict(pending)
    pending.clear()
    for (organisation_id, year), user_ids in waiting.items():
        with transaction.atomic():
            outbox.enqueue(tasks.scores_refresh_people, organisation_id, year, sorted(user_ids))


def entry_saved(sender, instance: LedgerEntry, created: bool, raw: bool = False, **kwargs):
    """post_save of a ledger entry: its person's score is refreshed once the entry commits (the
    entries of one transaction together, one task per organisation and year)."""
    if not created or raw:
        return
    _pending()[(instance.organisation_id, instance.year)].add(instance.user_id)
    transaction.on_commit(_flush)


def policy_saved(sender, instance, created: bool, raw: bool = False, **kwargs):
    """post_save of a scoring policy: an organisation's own policy rescoring its open years from
    the policy's year on (a platform default reaches everyone in the nightly refresh)."""
    if raw or instance.organisation_id is None:
        return
    from . import tasks

    this_year = timezone.localdate().year
    for year in range(max(instance.year, this_year - 1), this_year + 1):
        outbox.enqueue(tasks.scores_refresh_organisation, instance.organisation_id, year)


def roster_changed(sender, organisation, staff_ids, **kwargs):
    """People joined, moved, changed position or left: their scores of this year follow (a
    person who left loses theirs), once the change commits."""
    from lms.organisations.selectors import staff_user_ids

    from . import tasks

    user_ids = staff_user_ids(staff_ids)
    if user_ids:
        outbox.enqueue(
            tasks.scores_refresh_people, organisation.pk, timezone.localdate().year, user_ids
        )
