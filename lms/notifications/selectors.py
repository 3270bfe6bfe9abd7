"""Reads of notices: a person sees only their own."""

from django.db.models import QuerySet

from .models import Notification
from .rendering import ShownNotice, shown

PAGE_SIZE = 100


def notifications_of(*, user) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user)


def unread_notifications_of(*, user) -> QuerySet[Notification]:
    return notifications_of(user=user).filter(read_at__isnull=True)


def unread_notification_count(user) -> int:
    """One COUNT on the (user, read_at) index; shown beside 通知 in the main navigation."""
    return unread_notifications_of(user=user).count()


def notices_shown_to(
    *, user, unread_only: bool = False, limit: int = PAGE_SIZE
) -> list[ShownNotice]:
    """The person's newest notices, written in the active language (the reader's)."""
    qs = unread_notifications_of(user=user) if unread_only else notifications_of(user=user)
    return [shown(notification) for notification in qs[:limit]]
