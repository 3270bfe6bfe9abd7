"""Exam integrity: events the exam page reports, the limit on leaving the page, allowed
networks and the submission of an idle attempt. The rules themselves are pure
(assessments/integrity.py); here they meet the attempt.

Every event is stored with the server's time. The server, never the page, decides that a paper
is submitted: it counts the leavings it stored, and measures idleness from the last answer saved
or event stored. The answer-save path stays one UPDATE and adds no round trip: its network
check reads the exam's networks from this process's memory, else the shared cache, else the
database, each copy kept NETWORKS_CACHE_SECONDS, and the list is parsed once per text.
"""

import time
from dataclasses import dataclass
from datetime import timedelta

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Case, Max, OuterRef, Subquery, When
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import integrity as rules
from ..exceptions import AttemptClosed, NotAnIntegrityEvent, OutsideAllowedNetworks
from ..models import Attempt, AttemptEvent, AttemptItem, Exam, ExamKind

# Spot checks watch how the paper is taken unless the regulator says otherwise (exam_create).
SPOT_CHECK_DEFAULTS = {"integrity_watch": True, "integrity_leave_limit": 3}
# An exam's networks changed in the admin reach the save check of its open attempts within this
# time; start, the exam page and submit read them from the exam itself.
NETWORKS_CACHE_SECONDS = 120
# A page refused again and again (it retries unsent answers every few seconds) is logged once
# in this time for the same address.
REFUSAL_LOG_EVERY = timedelta(minutes=5)


@dataclass(frozen=True)
class EventResult:
    leaves: int
    limit: int | None
    submitted: bool


# attempt id -> (read at, monotonic seconds; the exam's networks): a save reads no cache server
_local_networks: dict[int, tuple[float, str]] = {}
LOCAL_NETWORKS_MAX = 50_000  # attempts remembered per process before the memory is emptied


def _remember(attempt_id: int, text: str) -> None:
    if len(_local_networks) >= LOCAL_NETWORKS_MAX:
        _local_networks.clear()
    _local_networks[attempt_id] = (time.monotonic(), text)


def _networks_key(attempt_id: int) -> str:
    return f"assessments:attempt-networks:{attempt_id}"


def attempt_networks_cache(*, attempt: Attempt) -> None:
    """Keep the attempt's allowed networks where the save check finds them without a query."""
    text = attempt.exam.integrity_allowed_networks
    cache.set(_networks_key(attempt.pk), text, NETWORKS_CACHE_SECONDS)
    _remember(attempt.pk, text)


def networks_forget() -> None:
    """Empty this process's copies (a test that clears the cache clears them too)."""
    _local_networks.clear()


def _attempt_networks(*, attempt_id: int, user_id: int) -> str | None:
    local = _local_networks.get(attempt_id)
    if local is not None and time.monotonic() - local[0] < NETWORKS_CACHE_SECONDS:
        return local[1]
    text = cache.get(_networks_key(attempt_id))
    if text is None:
        text = (
            Attempt.objects.filter(pk=attempt_id, user_id=user_id)
            .values_list("exam__integrity_allowed_networks", flat=True)
            .first()
        )
        if text is None:
            return None
        cache.set(_networks_key(attempt_id), text, NETWORKS_CACHE_SECONDS)
    _remember(attempt_id, text)
    return text


def exam_network_check(*, exam: Exam, address: str | None) -> None:
    """Refuse to start an exam from outside its allowed networks."""
    if not rules.address_allowed(text=exam.integrity_allowed_networks, address=address):
        raise OutsideAllowedNetworks(address)


def attempt_network_check(
    *, attempt_id: int, user_id: int, address: str | None, action: str, now=None
) -> None:
    """Refuse a save, the exam page or a submit from outside the exam's allowed networks, and
    log the refusal on the attempt. No query when the networks are cached and allow it (an
    attempt that is not the person's is left to the service that follows: a 404)."""
    text = _attempt_networks(attempt_id=attempt_id, user_id=user_id)
    if text is None or rules.address_allowed(text=text, address=address):
        return
    if _refusal_log(
        attempt_id=attempt_id, user_id=user_id, address=address, action=action, now=now
    ):
        raise OutsideAllowedNetworks(address)


def _refusal_log(*, attempt_id: int, user_id: int, address, action: str, now=None) -> bool:
    """Log a refusal on the person's open attempt; False if it is not one (someone else's or
    closed: the service that follows answers for it, as without networks)."""
    now = now or timezone.now()
    detail = f"{address or '?'} · {action}"
    attempt = Attempt.objects.filter(
        pk=attempt_id, user_id=user_id, status=Attempt.Status.OPEN
    ).first()
    if attempt is None:
        return False
    logged = AttemptEvent.objects.filter(
        attempt=attempt,
        kind=AttemptEvent.Kind.NETWORK_REFUSED,
        detail=detail,
        at__gt=now - REFUSAL_LOG_EVERY,
    ).exists()
    if not logged:
        AttemptEvent.objects.create(
            attempt=attempt, kind=AttemptEvent.Kind.NETWORK_REFUSED, at=now, detail=detail
        )
    return True


def _with_last_activity(attempts, *, only_if_idle_limit: bool = False):
    """`only_if_idle_limit`: read them only for an exam with an idle limit (None otherwise)."""

    def latest(model, field):
        last = Subquery(
            model.objects.filter(attempt_id=OuterRef("pk"))
            .values("attempt_id")
            .annotate(m=Max(field))
            .values("m")[:1]
        )
        if not only_if_idle_limit:
            return last
        return Case(When(exam__integrity_idle_minutes__isnull=False, then=last), default=None)

    return attempts.annotate(
        last_save=latest(AttemptItem, "saved_at"), last_event=latest(AttemptEvent, "at")
    )


def _last_activity(attempt: Attempt):
    times = (attempt.started_at, attempt.last_save, attempt.last_event)  # type: ignore[attr-defined]
    return max(t for t in times if t)


def attempt_last_activity(*, attempt: Attempt):
    """The server's time of the last answer saved or event stored (the start if none)."""
    annotated = _with_last_activity(Attempt.objects.filter(pk=attempt.pk)).first()
    return attempt.started_at if annotated is None else _last_activity(annotated)


def attempt_submit_if_idle(*, attempt: Attempt, now=None) -> bool:
    """Submit an open attempt idle for the exam's minutes (server time). True if submitted."""
    from .attempts import attempt_submit

    minutes = attempt.exam.integrity_idle_minutes
    if not minutes or attempt.status != Attempt.Status.OPEN:
        return False
    now = now or timezone.now()
    last = attempt_last_activity(attempt=attempt)
    if not rules.is_idle(last_activity=last, idle_minutes=minutes, now=now):
        return False
    with transaction.atomic():
        locked = Attempt.objects.select_for_update().get(pk=attempt.pk)
        if locked.status != Attempt.Status.OPEN:
            return True
        AttemptEvent.objects.create(
            attempt=locked,
            kind=AttemptEvent.Kind.IDLE_SUBMITTED,
            at=now,
            detail=_("No activity for %(n)d minutes") % {"n": minutes},
        )
        attempt_submit(attempt_id=attempt.pk, now=now, reason="idle")
    attempt.refresh_from_db()
    return True


def attempts_submit_idle(*, now=None) -> int:
    """The beat sweep's second half: open attempts of exams with an idle limit, idle past it
    (one query to find them, whatever their number)."""
    now = now or timezone.now()
    open_attempts = Attempt.objects.filter(
        status=Attempt.Status.OPEN, exam__integrity_idle_minutes__isnull=False
    ).select_related("exam")
    submitted = 0
    for attempt in _with_last_activity(open_attempts):
        idle = rules.is_idle(
            last_activity=_last_activity(attempt),
            idle_minutes=attempt.exam.integrity_idle_minutes,
            now=now,
        )
        if idle and attempt_submit_if_idle(attempt=attempt, now=now):
            submitted += 1
    return submitted


def attempt_event_record(*, attempt_id: int, user_id: int, kind: str, now=None) -> EventResult:
    """Store what the exam page reports, at the server's time, on the person's open attempt;
    submit the paper when the server's own count of leavings reaches the exam's limit.

    A kind the page does not report (a "limit reached" of the page's making) is refused before
    any query and counts for nothing. When the attempt is the person's, open, in time and not
    idle, two queries: the attempt locked with its exam's rules, then the event written with the
    leavings counted (`_event_write`). Otherwise the reason is found as before: someone else's
    attempt does not exist for them; a closed one (or one past its deadline or idle past the
    exam's minutes, submitted here) refuses."""
    from .attempts import SAVE_GRACE, attempt_submit_if_expired

    if kind not in rules.CLIENT_KINDS:
        raise NotAnIntegrityEvent
    now = now or timezone.now()
    # One transaction of two statements: no savepoint of its own within a caller's.
    with transaction.atomic(savepoint=False):
        attempt = _open_attempt_locked(
            attempt_id=attempt_id, user_id=user_id, open_after=now - SAVE_GRACE
        )
        if attempt is not None and not _idle(attempt, now=now):
            return _event_store(attempt=attempt, kind=kind, now=now)
    attempt = Attempt.objects.select_related("exam").get(pk=attempt_id, user_id=user_id)
    if attempt_submit_if_expired(attempt=attempt, now=now):
        raise AttemptClosed(_("This attempt is already submitted: the event was not recorded."))
    # Open past the usual grace because an outage hit it (attempt_closes_at): still in time.
    with transaction.atomic():
        attempt = _open_attempt_locked(attempt_id=attempt_id, user_id=user_id, open_after=None)
        if attempt is None:
            raise AttemptClosed(_("This attempt is already submitted: the event was not recorded."))
        return _event_store(attempt=attempt, kind=kind, now=now)


def _open_attempt_locked(*, attempt_id: int, user_id: int, open_after) -> Attempt | None:
    """The person's open attempt (deadline after `open_after`, if given) with its exam, locked
    until the transaction ends: the events of one attempt are counted one at a time. The last
    activity is read only for an exam with an idle limit."""
    attempts = Attempt.objects.filter(pk=attempt_id, user_id=user_id, status=Attempt.Status.OPEN)
    if open_after is not None:
        attempts = attempts.filter(deadline__gt=open_after)
    return (
        _with_last_activity(attempts, only_if_idle_limit=True)
        .select_related("exam")
        .select_for_update(of=("self",))
        .first()
    )


def _idle(attempt: Attempt, *, now) -> bool:
    return rules.is_idle(
        last_activity=_last_activity(attempt),
        idle_minutes=attempt.exam.integrity_idle_minutes,
        now=now,
    )


def _event_store(*, attempt: Attempt, kind: str, now) -> EventResult:
    """Within the transaction that locked the open attempt: write the event, and submit the
    paper if this leaving reaches the limit."""
    from .attempts import attempt_submit

    exam = attempt.exam
    leaves_before, left_at = _event_write(attempt_id=attempt.pk, kind=kind, now=now)
    leaves = leaves_before + (1 if kind in rules.LEAVE_KINDS else 0)
    limit = exam.integrity_leave_limit if exam.integrity_watch else None
    if kind in rules.LEAVE_KINDS and rules.limit_reached(leaves=leaves, limit=limit):
        AttemptEvent.objects.create(
            attempt=attempt,
            kind=AttemptEvent.Kind.LIMIT_SUBMITTED,
            at=now,
            detail=_("Left the page %(n)d times; the limit is %(limit)d")
            % {"n": leaves, "limit": limit},
        )
        attempt_submit(attempt_id=attempt.pk, now=now, reason="leave_limit")
        return EventResult(leaves=leaves, limit=limit, submitted=True)
    return EventResult(leaves=leaves, limit=limit, submitted=False)


def _away_detail(*, left_at, now) -> str:
    if left_at is None:
        return ""
    return _("Away for %(s)d seconds") % {"s": (now - left_at).total_seconds()}


# The leavings so far and the last of them, read after the attempt's lock was taken (so every
# event stored before is seen), and the event written with how long the person was away when
# it is their return: one statement. The message is the translated one with its number put in.
_EVENT_WRITE_SQL = """
WITH prev AS (
    SELECT count(*) FILTER (WHERE kind = ANY(%(leave_kinds)s)) AS leaves,
           max(at) FILTER (WHERE kind = ANY(%(leave_kinds)s)) AS left_at
    FROM assessments_attemptevent WHERE attempt_id = %(attempt)s
), written AS (
    INSERT INTO assessments_attemptevent (attempt_id, kind, at, detail)
    SELECT %(attempt)s, %(kind)s, %(now)s,
           CASE WHEN %(returned)s AND prev.left_at IS NOT NULL
                THEN replace(%(away)s, '%%(s)d',
                             floor(extract(epoch FROM %(now)s - prev.left_at))::bigint::text)
                ELSE '' END
    FROM prev
    RETURNING id
)
SELECT leaves, left_at FROM prev
"""


def _event_write(*, attempt_id: int, kind: str, now) -> tuple[int, object]:
    """Store the event; the number of leavings before it and the time of the last one."""
    returned = kind == AttemptEvent.Kind.RETURNED
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                _EVENT_WRITE_SQL,
                {
                    "leave_kinds": sorted(rules.LEAVE_KINDS),
                    "attempt": attempt_id,
                    "kind": kind,
                    "now": now,
                    "returned": returned,
                    "away": _("Away for %(s)d seconds"),
                },
            )
            leaves, left_at = cursor.fetchone()
        return leaves, left_at
    leavings = AttemptEvent.objects.filter(attempt_id=attempt_id, kind__in=rules.LEAVE_KINDS)
    left_at = leavings.order_by("-at").values_list("at", flat=True).first()
    leaves = leavings.count()
    detail = _away_detail(left_at=left_at, now=now) if returned else ""
    AttemptEvent.objects.create(attempt_id=attempt_id, kind=kind, at=now, detail=detail)
    return leaves, left_at


def exam_integrity_defaults(*, kind: str, options: dict) -> dict:
    """The options of a new exam with integrity on by default for a spot check."""
    if kind == ExamKind.SPOT_CHECK:
        return {**SPOT_CHECK_DEFAULTS, **options}
    return options
