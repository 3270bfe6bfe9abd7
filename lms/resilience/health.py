"""What /healthz checks: each dependency answers, or the reason it does not."""

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection

from . import metrics, outages


def _database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as exc:
        outages.note_failure()
        return {"ok": False, "error": exc.__class__.__name__}
    outages.flush_noted()
    return {"ok": True}


def _cache() -> dict:
    ping = getattr(cache, "ping", None)
    if ping is None:
        return {"ok": True, "backend": "local memory"}
    try:
        ping()
    except Exception as exc:  # any client error means "not answering"
        return {"ok": False, "error": exc.__class__.__name__}
    return {"ok": True}


def _broker() -> dict:
    from kombu import Connection

    url = settings.CELERY_BROKER_URL
    if getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False) and url.startswith("memory://"):
        return {"ok": True, "backend": "in-process"}
    try:
        with Connection(url, connect_timeout=1) as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=1)
    except Exception as exc:  # kombu wraps each transport's errors differently
        return {"ok": False, "error": exc.__class__.__name__}
    return {"ok": True}


def report() -> tuple[bool, dict]:
    checks = {"database": _database(), "cache": _cache(), "broker": _broker()}
    ok = all(check["ok"] for check in checks.values())
    body = {"status": "ok" if ok else "degraded", "checks": checks, "counters": metrics.snapshot()}
    if checks["database"]["ok"]:
        from .outbox import waiting_count

        body["outbox_waiting"] = waiting_count()
    return ok, body
