from celery import shared_task


@shared_task(name="lms.ping")
def ping(value: str = "pong") -> str:
    """A no-op round trip used by health checks and the broker test."""
    return value
