"""The HR integration's writes: API keys, webhook endpoints and their deliveries, the roster
batches an HR system sends, and the audit entry of every API call.

A delivery is one row per event and endpoint, written when the event happens and sent by a
Celery task through the outbox (lms.resilience), so neither a slow receiver nor a broker outage
can hold up or undo the event. Each try is recorded; after the last one the delivery is failed
and can be replayed from the admin."""

import csv
import io
import json
import logging
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.audit.services import audit_record
from lms.organisations.roster.importing import roster_import
from lms.organisations.roster.reading import ENGLISH_HEADERS, FIELDS
from lms.refusals import Refused
from lms.resilience import outbox

from . import events, keys, selectors, signing
from .models import ApiKey, WebhookDelivery, WebhookEndpoint

logger = logging.getLogger(__name__)
USER_AGENT = "Hegui-Webhooks/1"
RESPONSE_BODY_KEPT = 2000
# A retry arrives after its countdown, never before; a second copy arriving early is not due.
DUE_TOLERANCE = timedelta(seconds=1)
STUCK_AFTER = timedelta(minutes=10)  # a try this long past due was lost with its worker
REQUEUE_BATCH = 1000
# a worker holds a delivery while it sends it: the receiver's time limit and this margin
CLAIM_MARGIN = timedelta(seconds=30)
# what a try records (nothing else of the delivery changes)
RECORDED = [
    "attempts",
    "last_attempt_at",
    "response_ms",
    "response_status",
    "response_body",
    "error",
    "claimed_until",
    "status",
    "next_attempt_at",
]
# the roster file's first row is its header: the batch's first person is the file's row 2
FIRST_ROW = 2


class IntegrationRefused(Refused):
    status = 400


# --- API keys -----------------------------------------------------------------------------------


def _check_administers(actor, organisation_id: int) -> None:
    if not selectors.integration_organisations_for(actor).filter(pk=organisation_id).exists():
        raise PermissionDenied


@transaction.atomic
def api_key_create(*, actor, organisation, name: str, scope: str) -> tuple[ApiKey, str]:
    """A new key for the organisation; the key itself is returned once and never stored."""
    _check_administers(actor, organisation.pk)
    new = keys.key_new()
    api_key = ApiKey(
        organisation=organisation,
        name=(name or "").strip(),
        scope=scope,
        prefix=new.prefix,
        key_hash=new.key_hash,
        created_by=actor,
    )
    api_key.full_clean()
    api_key.save()
    audit_record(
        action="integrations.key_create",
        target=api_key,
        actor=actor,
        organisation=organisation,
        data={"name": api_key.name, "scope": scope, "prefix": new.prefix},
    )
    return api_key, new.key


@transaction.atomic
def api_key_revoke(*, actor, api_key: ApiKey) -> ApiKey:
    _check_administers(actor, api_key.organisation_id)
    api_key = ApiKey.objects.select_for_update().get(pk=api_key.pk)
    if api_key.revoked_at is not None:
        return api_key
    api_key.revoked_at = timezone.now()
    api_key.revoked_by = actor
    api_key.save(update_fields=["revoked_at", "revoked_by"])
    audit_record(
        action="integrations.key_revoke",
        target=api_key,
        actor=actor,
        organisation=api_key.organisation,
        data={"prefix": api_key.prefix},
    )
    return api_key


def api_key_used(*, api_key: ApiKey, now=None) -> None:
    """Note when a key was last used, at most once a minute (one small UPDATE)."""
    now = now or timezone.now()
    if api_key.last_used_at and now - api_key.last_used_at < timedelta(minutes=1):
        return
    ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
    api_key.last_used_at = now


def api_call_record(
    *, api_key: ApiKey, method: str, path: str, status: int, query: dict, ip_address=None
) -> None:
    """The audit entry of one API call: which key, what was asked, what it answered. Never the
    key or the request body."""
    audit_record(
        action="integrations.api_call",
        target=api_key,
        organisation=api_key.organisation,
        actor_label=f"API key {api_key.prefix}",
        ip_address=ip_address,
        data={"method": method, "path": path, "status": status, "query": query},
    )


# --- the roster through the API --------------------------------------------------------------


@dataclass
class RosterBatchResult:
    rows: int
    created: int
    updated: int
    unchanged: int
    problems: list[dict]

    @property
    def ok(self) -> bool:
        return not self.problems


def _roster_csv(rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([ENGLISH_HEADERS[f] for f in FIELDS])
    for row in rows:
        writer.writerow(["" if row.get(f) is None else str(row.get(f)) for f in FIELDS])
    return out.getvalue().encode("utf-8")


def roster_batch_upsert(*, api_key: ApiKey, rows: list[dict]) -> RosterBatchResult:
    """Add or update people on the key's organisation's roster, through the roster import
    itself: the same checks, and all or nothing. A problem names the batch's row (1 = its
    first person) and the employee number given there."""
    if not api_key.may_write:
        raise PermissionDenied
    if not rows or len(rows) > settings.API_ROSTER_BATCH_MAX:
        raise IntegrationRefused(
            _("Send between 1 and %(most)d people in a batch.")
            % {"most": settings.API_ROSTER_BATCH_MAX}
        )
    result = roster_import(
        organisation=api_key.organisation,
        data=_roster_csv(rows),
        file_name=f"API key {api_key.prefix}",
        actor=None,
    )
    problems = []
    for problem in result.problems:
        index = problem.row - FIRST_ROW
        entry: dict[str, Any] = {"row": None, "message": problem.message}
        if 0 <= index < len(rows):
            entry["row"] = index + 1
            entry["employee_number"] = str(rows[index].get("employee_number") or "")
        if problem.column:
            entry["column"] = problem.column
        problems.append(entry)
    return RosterBatchResult(
        rows=len(rows),
        created=result.created if result.ok else 0,
        updated=result.updated if result.ok else 0,
        unchanged=result.unchanged if result.ok else 0,
        problems=problems,
    )


# --- webhook endpoints ---------------------------------------------------------------------------


def webhook_url_problem(url: str) -> str | None:
    parts = urlsplit(url or "")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return _("A webhook address starts with https:// (or http://) and names a host.")
    return None


@transaction.atomic
def webhook_endpoint_create(
    *, actor, organisation, url: str, event_names: list[str]
) -> WebhookEndpoint:
    _check_administers(actor, organisation.pk)
    url = (url or "").strip()
    problem = webhook_url_problem(url)
    if problem:
        raise ValidationError({"url": problem})
    unknown = set(event_names) - set(events.ALL)
    if unknown or not event_names:
        raise ValidationError({"events": _("Choose at least one event.")})
    endpoint = WebhookEndpoint(
        organisation=organisation,
        url=url,
        events=[e for e in events.ALL if e in event_names],
        secret=signing.secret_new(),
        created_by=actor,
    )
    endpoint.full_clean()
    endpoint.save()
    audit_record(
        action="integrations.webhook_create",
        target=endpoint,
        actor=actor,
        organisation=organisation,
        data={"url": url, "events": endpoint.events},
    )
    return endpoint


@transaction.atomic
def webhook_endpoint_set_active(*, actor, endpoint: WebhookEndpoint, active: bool) -> None:
    _check_administers(actor, endpoint.organisation_id)
    if endpoint.is_active == active:
        return
    endpoint.is_active = active
    endpoint.save(update_fields=["is_active"])
    audit_record(
        action="integrations.webhook_resume" if active else "integrations.webhook_pause",
        target=endpoint,
        actor=actor,
        organisation=endpoint.organisation,
        data={"url": endpoint.url},
    )


# --- deliveries --------------------------------------------------------------------------------


def _enqueue(delivery_id: int) -> None:
    from . import tasks

    outbox.enqueue(tasks.webhook_deliver, delivery_id)


@transaction.atomic
def webhook_event_emit(*, organisation_id: int, event: str, data: dict) -> list[WebhookDelivery]:
    """One delivery for each active endpoint of the organisation that wants this event,
    queued to be sent once the current transaction commits."""
    endpoints = list(selectors.endpoints_subscribed(organisation_id=organisation_id, event=event))
    if not endpoints:
        return []
    event_id = uuid.uuid4()
    payload = {
        "id": str(event_id),
        "event": event,
        "created": timezone.now().isoformat(),
        "organisation_id": organisation_id,
        "data": data,
    }
    payload = json.loads(json.dumps(payload, cls=DjangoJSONEncoder))
    deliveries = []
    for endpoint in endpoints:
        delivery = WebhookDelivery.objects.create(
            endpoint=endpoint, event=event, event_id=event_id, payload=payload
        )
        _enqueue(delivery.pk)
        deliveries.append(delivery)
    return deliveries


def delivery_body(delivery: WebhookDelivery) -> bytes:
    return json.dumps(delivery.payload, ensure_ascii=False, separators=(",", ":")).encode()


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


# Built once (its handlers keep no state between requests; each request opens its own
# connection): building it per try cost about as much as signing the body.
_OPENER = urllib.request.build_opener(_NoRedirects)


def _post(url: str, body: bytes, headers: dict, timeout: float) -> tuple[int | None, str, str]:
    """(status, body, error): a receiver's answer, whatever it is."""
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            return response.status, response.read(RESPONSE_BODY_KEPT).decode(errors="replace"), ""
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(RESPONSE_BODY_KEPT).decode(errors="replace"), ""
    except TimeoutError:
        return None, "", "timed out"
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        if isinstance(reason, TimeoutError):
            return None, "", "timed out"
        return None, "", f"{reason.__class__.__name__}: {reason}"[:300]


def _claim(delivery_id: int, *, when_due: bool, now) -> bool:
    """Take a pending delivery for one try, unless another worker holds it (or, with
    `when_due`, its next try is not due yet). One UPDATE, committed at once."""
    pending = WebhookDelivery.objects.filter(
        Q(claimed_until__isnull=True) | Q(claimed_until__lt=now),
        pk=delivery_id,
        status=WebhookDelivery.Status.PENDING,
    )
    if when_due:
        due = now + DUE_TOLERANCE
        pending = pending.filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=due))
    held = timedelta(seconds=settings.WEBHOOK_TIMEOUT_SECONDS) + CLAIM_MARGIN
    return bool(pending.update(claimed_until=now + held))


def webhook_delivery_attempt(*, delivery_id: int, when_due: bool = False) -> int | None:
    """Send a pending delivery once and record the answer. Returns how many seconds to wait
    before the next try, or None when there is nothing more to do (delivered, failed after the
    last try, not pending, being sent by another worker, or, with `when_due`, its next try not
    due yet: a second copy of the task, queued again by `webhook_deliveries_requeue_stuck`,
    then sends nothing twice).

    The delivery is claimed, sent and recorded in three steps, none of them a transaction left
    open while the receiver answers (up to WEBHOOK_TIMEOUT_SECONDS): a worker waiting for a
    slow receiver holds neither a row lock nor a database connection's transaction."""
    if not _claim(delivery_id, when_due=when_due, now=timezone.now()):
        return None
    delivery = WebhookDelivery.objects.select_related("endpoint").get(pk=delivery_id)
    endpoint = delivery.endpoint
    body = delivery_body(delivery)
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-Hegui-Event": delivery.event,
        "X-Hegui-Delivery": str(delivery.event_id),
        signing.HEADER: signing.signature_header(
            secret=endpoint.secret, timestamp=timestamp, body=body
        ),
    }
    started = time.monotonic()
    status, response_body, error = _post(
        endpoint.url, body, headers, settings.WEBHOOK_TIMEOUT_SECONDS
    )
    delivery.attempts += 1
    delivery.last_attempt_at = timezone.now()
    delivery.response_ms = int((time.monotonic() - started) * 1000)
    delivery.response_status = status
    delivery.response_body = response_body[:RESPONSE_BODY_KEPT]
    delivery.error = error
    delivery.claimed_until = None
    wait = None
    if status is not None and 200 <= status < 300:
        delivery.status = WebhookDelivery.Status.DELIVERED
        delivery.next_attempt_at = None
    elif delivery.attempts >= settings.WEBHOOK_MAX_ATTEMPTS:
        delivery.status = WebhookDelivery.Status.FAILED
        delivery.next_attempt_at = None
    else:
        wait = signing.backoff_seconds(delivery.attempts, base=settings.WEBHOOK_BACKOFF_SECONDS)
        delivery.next_attempt_at = delivery.last_attempt_at + timedelta(seconds=wait)
    delivery.save(update_fields=RECORDED)
    return wait


def webhook_deliveries_requeue_stuck(*, now=None) -> int:
    """Beat: queue again each pending delivery whose try is STUCK_AFTER past due (never tried
    since it was made, or its retry due that long ago): the worker holding its retry died, or
    the broker lost it. A copy that arrives late after all finds the delivery done or not due
    (`when_due`), so nothing is sent twice. Returns how many were queued."""
    from . import tasks

    now = now or timezone.now()
    stale = now - STUCK_AFTER
    stuck = (
        WebhookDelivery.objects.filter(status=WebhookDelivery.Status.PENDING)
        .filter(
            Q(next_attempt_at__isnull=True, created_at__lt=stale) | Q(next_attempt_at__lt=stale)
        )
        .order_by("pk")
        .values_list("pk", flat=True)[:REQUEUE_BATCH]
    )
    return outbox.requeue_stuck(tasks.webhook_deliver, stuck, since=stale, what="webhook delivery")


@transaction.atomic
def webhook_delivery_replay(*, actor, delivery: WebhookDelivery) -> WebhookDelivery:
    """Send a delivery again, as a new delivery of the same event (same event id, so the
    receiver can tell it is the one it may have seen)."""
    _check_administers(actor, delivery.endpoint.organisation_id)
    replay = WebhookDelivery.objects.create(
        endpoint=delivery.endpoint,
        event=delivery.event,
        event_id=delivery.event_id,
        payload=delivery.payload,
        replay_of=delivery,
    )
    audit_record(
        action="integrations.webhook_replay",
        target=delivery.endpoint,
        actor=actor,
        organisation=delivery.endpoint.organisation,
        data={"event": delivery.event, "event_id": str(delivery.event_id)},
    )
    _enqueue(replay.pk)
    return replay
