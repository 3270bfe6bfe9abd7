from . import services


def on_attempt_finalised(sender, attempt, **kwargs):
    services.attempt_record(attempt=attempt)


def is_drawn(user) -> bool:
    """Whether the person was ever drawn (for the nav item)."""
    from .models import DrawnPerson

    return DrawnPerson.objects.filter(user=user).exists()
