"""Tasks enqueued after commit go through an outbox table, written in the same transaction.

`enqueue(task, *args)` writes the message and, once the transaction commits, tries to publish
it at once; if the broker is down the request still succeeds and the message waits. The relay
(`relay()`, run by beat every 15 s) publishes what is waiting when the broker is back. A message
is marked published once the broker took it, so from the outbox's side it is published once;
a publisher that dies between the broker's acceptance and the mark leaves it to be published
again after its claim lapses, which the tasks tolerate (they take ids and are idempotent).
"""

import logging
from datetime import timedelta

from celery import current_app
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from . import metrics
from .models import OutboxMessage

logger = logging.getLogger(__name__)
CLAIM = timedelta(minutes=5)
# The commit's own attempt goes first; the relay takes what it left.
RELAY_AFTER = timedelta(seconds=10)
KEEP_PUBLISHED = timedelta(days=7)


def enqueue(task, *args, **kwargs) -> OutboxMessage:
    """Publish `task(*args, **kwargs)` after the current transaction commits, surviving a
    broker outage. Arguments must be JSON (ids and lists of ids)."""
    message = OutboxMessage.objects.create(task_name=task.name, args=list(args), kwargs=kwargs)
    transaction.on_commit(lambda: publish(message_id=message.pk))
    return message


def _claim(message_id: int, now) -> bool:
    claimable = Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    return bool(
        OutboxMessage.objects.filter(claimable, pk=message_id, published_at__isnull=True).update(
            claimed_until=now + CLAIM, attempts=F("attempts") + 1
        )
    )


def publish(*, message_id: int) -> bool | None:
    """Publish one message if nobody has or is doing so: True published, None taken by
    another publisher (or already published), False the broker refused (it stays waiting)."""
    now = timezone.now()
    if not _claim(message_id, now):
        return None
    message = OutboxMessage.objects.get(pk=message_id)
    task = current_app.tasks[message.task_name]
    if task.app.conf.task_always_eager:
        # In-process (dev, tests): running is publishing; a task's error still reaches the caller.
        _mark_published(message_id)
        task.apply_async(args=message.args, kwargs=message.kwargs)
        return True
    try:
        task.apply_async(args=message.args, kwargs=message.kwargs, retry=False)
    except Exception as exc:  # the broker's errors differ by transport; all mean "not taken"
        metrics.count("outbox_publish_failed")
        logger.warning(
            "outbox: %s #%s not published (%s: %s); the relay will retry",
            message.task_name,
            message_id,
            exc.__class__.__name__,
            exc,
        )
        OutboxMessage.objects.filter(pk=message_id).update(
            claimed_until=None, last_error=f"{exc.__class__.__name__}: {exc}"[:2000]
        )
        return False
    _mark_published(message_id)
    return True


def _mark_published(message_id: int) -> None:
    OutboxMessage.objects.filter(pk=message_id).update(
        published_at=timezone.now(), claimed_until=None
    )


def relay(*, limit: int = 500, now=None) -> int:
    """Publish waiting messages, oldest first; stop at the first refusal (the broker is still
    down). Returns how many were published. Old published messages are pruned."""
    now = now or timezone.now()
    waiting = list(
        OutboxMessage.objects.filter(published_at__isnull=True, created_at__lte=now - RELAY_AFTER)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    published = 0
    for message_id in waiting:
        outcome = publish(message_id=message_id)
        if outcome is False:
            break
        published += bool(outcome)
    if published:
        logger.info("outbox: relayed %d waiting task(s)", published)
    OutboxMessage.objects.filter(published_at__lt=now - KEEP_PUBLISHED).delete()
    return published


def enqueued_since(task, *args, since) -> bool:
    """Whether `task(*args)` went into the outbox after `since` (waiting or published)."""
    return OutboxMessage.objects.filter(
        task_name=task.name, args=list(args), created_at__gte=since
    ).exists()


def requeue_stuck(task, ids, *, since, what: str = "job") -> int:
    """Queue `task(id)` again, each in its own transaction, for every id of a job found stuck
    (queued but never taken, or running long after its worker died) that was not put in the
    outbox after `since` (a relay still on its way is not doubled). The tasks claim their job,
    so a duplicate delivery does nothing. Returns how many were queued again."""
    requeued = 0
    for pk in ids:
        if enqueued_since(task, pk, since=since):
            continue
        with transaction.atomic():
            enqueue(task, pk)
        logger.warning("%s %s was stuck; queued again", what, pk)
        requeued += 1
    return requeued


def waiting_count() -> int:
    return OutboxMessage.objects.filter(published_at__isnull=True).count()
