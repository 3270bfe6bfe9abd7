"""Sending notices: one entry point for every app (`notification_send`)."""

import json
from collections.abc import Mapping

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from . import kinds
from .models import Notification
from .rendering import link_in_language, render


class UnknownKind(ValueError):
    """A notice of a kind no app registered (kinds.register in its AppConfig.ready)."""


def recipient_language(user) -> str:
    """The language a person's e-mails are written in: the one they chose in their account
    (Wagtail's profile), else the platform's."""
    from wagtail.users.models import UserProfile

    chosen = (
        UserProfile.objects.filter(user_id=user.pk)
        .values_list("preferred_language", flat=True)
        .first()
    )
    languages = {code for code, _name in settings.LANGUAGES}
    return chosen if chosen in languages else settings.LANGUAGE_CODE


def notification_send(
    *, user, key: str, kind: str, params: Mapping, link: str = ""
) -> Notification | None:
    """Record an in-app notice and e-mail it, once per key (retries never duplicate).

    The notice stores its kind and `params` (JSON: plain values only); the kind's renderer
    writes it in each reader's language when it is shown, and in the recipient's language in
    the e-mail. Returns the notice if this call e-mailed it, else None.
    """
    registered = kinds.get(kind)
    if registered is None:
        raise UnknownKind(f"no app registered the notice kind {kind!r}")
    params = json.loads(json.dumps(dict(params)))  # plain JSON values, or a TypeError now
    notification = Notification.objects.filter(key=key).first()
    if notification is None:
        with translation.override(settings.LANGUAGE_CODE):
            subject, body = registered.render(params)
        try:
            with transaction.atomic():
                notification = Notification.objects.create(
                    user=user,
                    key=key,
                    kind=kind,
                    params=params,
                    subject=str(subject)[:300],
                    body=str(body),
                    link=link,
                )
        except IntegrityError:
            return None
    if notification.emailed_at is not None:
        return None
    if user.email:
        language = recipient_language(user)
        with translation.override(language):
            subject, body = render(notification)
            url = link_in_language(link, language) if link else "/"
        if url.startswith("/"):
            url = f"{settings.BASE_URL}{url}"
        send_mail(subject, f"{body}\n\n{url}", None, [user.email], fail_silently=False)
    Notification.objects.filter(pk=notification.pk, emailed_at__isnull=True).update(
        emailed_at=timezone.now()
    )
    return notification


@transaction.atomic
def notification_mark_read(*, user, notification_id: int | None = None) -> int:
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_id is not None:
        qs = qs.filter(pk=notification_id)
    return qs.update(read_at=timezone.now())
