"""Beat's resilience round: note the heartbeat, then publish what the outbox holds."""

from celery import shared_task

from . import outages, outbox


@shared_task(name="resilience.tick")
def tick() -> int:
    outages.heartbeat()
    return outbox.relay()
