"""Writing a notice out in the language that is active now (the reader's)."""

import logging
from dataclasses import dataclass
from datetime import datetime

from django.urls import translate_url
from django.utils import translation

from . import kinds
from .models import Notification

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ShownNotice:
    """A notice as its reader sees it."""

    pk: int
    kind_label: str
    icon: str
    subject: str
    body: str
    link: str
    created_at: datetime
    read_at: datetime | None


def render(notification: Notification) -> tuple[str, str]:
    """Subject and body in the active language. A notice stored before params existed, of a
    kind no app registers any more, or whose params its renderer cannot read, shows the text
    it was sent with."""
    kind = kinds.get(notification.kind)
    if notification.params is None or kind is None:
        return notification.subject, notification.body
    try:
        subject, body = kind.render(notification.params)
    except (KeyError, TypeError, ValueError):
        logger.exception("notice %s (%s): params unreadable", notification.pk, notification.kind)
        return notification.subject, notification.body
    return str(subject), str(body)


def link_in_language(link: str, language: str | None = None) -> str:
    """The notice's link in the reader's language (a link made during an English request
    carries /en/; a Chinese reader is taken to the Chinese page)."""
    if not link.startswith("/"):
        return link
    return translate_url(link, language or translation.get_language())


def shown(notification: Notification) -> ShownNotice:
    subject, body = render(notification)
    kind = kinds.get(notification.kind)
    return ShownNotice(
        pk=notification.pk,
        kind_label=kinds.label_for(notification.kind),
        icon=kind.icon if kind else "",
        subject=subject,
        body=body,
        link=link_in_language(notification.link) if notification.link else "",
        created_at=notification.created_at,
        read_at=notification.read_at,
    )
