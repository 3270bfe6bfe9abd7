"""The outage windows the server records itself (never from a client's clock).

Two observers, so an outage is known whoever saw it:
- the heartbeat (`heartbeat()`, run by beat every 15 s and before every deadline sweep):
  a gap of more than OUTAGE_GAP since the last one is a window [last beat, now] — the database,
  the broker or the worker was away;
- the web process: a request failing with a database connection error (or /healthz finding
  the database down) notes the moment in process memory; the first request after the
  database is back writes the window [first failure, now].
While a heartbeat is overdue (beat ran within MAX_OPEN_GAP but not within OUTAGE_GAP) or this
process has noted a failure it could not yet write, the window is treated as open until now,
so nothing is closed before the observers have written what they saw.
"""

import logging
import sys
import threading
from datetime import datetime, timedelta

from django.db import DatabaseError, IntegrityError, InterfaceError, OperationalError, transaction
from django.utils import timezone

from . import metrics
from .models import Heartbeat, OutageWindow

logger = logging.getLogger(__name__)
HEARTBEAT = "beat"
OUTAGE_GAP = timedelta(seconds=45)
MAX_OPEN_GAP = timedelta(hours=2)
# How long after an outage the exam page has to send what it kept.
RECOVERY = timedelta(minutes=5)

_lock = threading.Lock()
_failure_started: datetime | None = None


def heartbeat(*, now=None) -> OutageWindow | None:
    """Beat reached the database: record the gap since the last beat if it was an outage."""
    now = now or timezone.now()
    with transaction.atomic():
        beat = Heartbeat.objects.select_for_update().filter(name=HEARTBEAT).first()
        if beat is None:
            try:
                with transaction.atomic():
                    Heartbeat.objects.create(name=HEARTBEAT, last_seen=now)
            except IntegrityError:
                pass
            return None
        window = None
        if now - beat.last_seen > OUTAGE_GAP:
            window = OutageWindow.objects.create(
                started_at=beat.last_seen, ended_at=now, source=OutageWindow.Source.HEARTBEAT
            )
            logger.warning("outage recorded from the heartbeat gap: %s", window)
        if now > beat.last_seen:
            beat.last_seen = now
            beat.save(update_fields=["last_seen"])
    return window


def note_failure(*, now=None) -> None:
    """This process could not reach the database: remember when it started."""
    global _failure_started
    now = now or timezone.now()
    with _lock:
        if _failure_started is None:
            _failure_started = now
            metrics.count("outages_noted")
            logger.warning("database unreachable from this process since %s", now.isoformat())


def flush_noted(*, now=None) -> OutageWindow | None:
    """Write the failure this process noted, now that the database answers."""
    global _failure_started
    with _lock:
        started = _failure_started
    if started is None:
        return None
    now = now or timezone.now()
    try:
        window = OutageWindow.objects.create(
            started_at=started, ended_at=max(now, started), source=OutageWindow.Source.WEB
        )
    except DatabaseError:
        return None
    with _lock:
        if _failure_started == started:
            _failure_started = None
    logger.warning("outage recorded by this process: %s", window)
    return window


# SQLSTATEs of a lost or refused connection (class 08) and of a server shutting down or
# starting (57P01-57P03); a deadlock or a lock timeout is the request's problem, not an outage.
_SERVER_GONE = ("08", "57P01", "57P02", "57P03")


def is_connection_failure(exc: BaseException | None) -> bool:
    if isinstance(exc, InterfaceError):
        return True
    if not isinstance(exc, OperationalError):
        return False
    sqlstate = getattr(exc.__cause__, "sqlstate", None)
    return sqlstate is None or sqlstate.startswith(_SERVER_GONE)


def on_request_exception(sender, request=None, **kwargs) -> None:
    if is_connection_failure(sys.exc_info()[1]):
        note_failure()


def on_request_started(sender, **kwargs) -> None:
    if _failure_started is not None:
        flush_noted()


def windows_since(since: datetime, *, now=None) -> list[tuple[datetime, datetime]]:
    """Every outage that ended after `since`, the open ones ending now."""
    now = now or timezone.now()
    windows = list(
        OutageWindow.objects.filter(ended_at__gt=since).values_list("started_at", "ended_at")
    )
    beat = Heartbeat.objects.filter(name=HEARTBEAT).values_list("last_seen", flat=True).first()
    if beat is not None and OUTAGE_GAP < now - beat < MAX_OPEN_GAP:
        windows.append((beat, now))
    noted = _failure_started
    if noted is not None:
        windows.append((noted, now))
    return windows
