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
from django.db import transaction
from django.db.models import Max, OuterRef, Subquery
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


def _with_last_activity(attempts):
    def latest(model, field):
        return Subquery(
            model.objects.filter(attempt_id=OuterRef("pk"))
            .values("attempt_id")
            .annotate(m=Max(field))
            .values("m")[:1]
        )

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


def attempt_event_record(*, attempt_id: int, user, kind: str, now=None) -> EventResult:
    """Store what the exam page reports, at the server's time, on the person's open attempt;
    submit the paper when the server's own count of leavings reaches the exam's limit.

    Someone else's attempt does not exist for them; a closed one (or one past its deadline or
    idle past the exam's minutes, submitted here) refuses; a kind the page does not report (a
    "limit reached" of the page's making) is refused and counts for nothing."""
    from .attempts import attempt_submit_if_expired

    now = now or timezone.now()
    attempt = Attempt.objects.select_related("exam").get(pk=attempt_id, user=user)
    if kind not in rules.CLIENT_KINDS:
        raise NotAnIntegrityEvent
    if attempt_submit_if_expired(attempt=attempt, now=now):
        raise AttemptClosed(_("This attempt is already submitted: the event was not recorded."))
    return _event_store(attempt_id=attempt.pk, kind=kind, now=now)


@transaction.atomic
def _event_store(*, attempt_id: int, kind: str, now) -> EventResult:
    from .attempts import attempt_submit

    attempt = (
        Attempt.objects.select_for_update(of=("self",)).select_related("exam").get(pk=attempt_id)
    )
    if attempt.status != Attempt.Status.OPEN:
        raise AttemptClosed(_("This attempt is already submitted: the event was not recorded."))
    exam = attempt.exam
    detail = ""
    if kind == AttemptEvent.Kind.RETURNED:
        left = (
            attempt.events.filter(kind__in=rules.LEAVE_KINDS)
            .order_by("-at")
            .values_list("at", flat=True)
            .first()
        )
        if left is not None:
            detail = _("Away for %(s)d seconds") % {"s": (now - left).total_seconds()}
    AttemptEvent.objects.create(attempt=attempt, kind=kind, at=now, detail=detail)
    leaves = attempt.events.filter(kind__in=rules.LEAVE_KINDS).count()
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


def exam_integrity_defaults(*, kind: str, options: dict) -> dict:
    """The options of a new exam with integrity on by default for a spot check."""
    if kind == ExamKind.SPOT_CHECK:
        return {**SPOT_CHECK_DEFAULTS, **options}
    return options
