from celery import shared_task
from django.utils import timezone

from . import services
from .quarters import last_closed


@shared_task(name="lms.dispatch.tasks.missing_quarters_flag")
def missing_quarters_flag() -> int:
    """Daily: the quarter just ended, if an enterprise recorded no dispatch meeting in it, is
    flagged to its principal and head (each once: safe to run again)."""
    return services.missing_quarters_flag(quarter=last_closed(timezone.localdate()))
