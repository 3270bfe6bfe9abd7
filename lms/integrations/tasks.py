"""Thin Celery tasks: they take ids and call a service; each is safe to repeat."""

from celery import shared_task

from . import services


@shared_task(bind=True, name="integrations.webhook_deliver", max_retries=None)
def webhook_deliver(self, delivery_id: int) -> None:
    """One try; the service records it and says when to try again (exponential backoff) or
    that it is over (delivered, or failed after the last try)."""
    wait = services.webhook_delivery_attempt(delivery_id=delivery_id, when_due=True)
    if wait is None:
        return
    if self.request.is_eager:
        # In-process (dev, tests) no worker comes back later: the next tries follow at once.
        while wait is not None:
            wait = services.webhook_delivery_attempt(delivery_id=delivery_id)
        return
    raise self.retry(countdown=wait)


@shared_task(name="integrations.webhook_deliveries_requeue_stuck")
def webhook_deliveries_requeue_stuck() -> int:
    return services.webhook_deliveries_requeue_stuck()
