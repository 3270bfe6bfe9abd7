from typing import Any

from django.db import models

from .context import current
from .models import AuditEntry


def audit_record(
    *,
    action: str,
    target: models.Model | None = None,
    actor=None,
    organisation=None,
    data: dict[str, Any] | None = None,
    ip_address: str | None = None,
) -> AuditEntry:
    """Append one entry. The actor and address default to the current request's."""
    ctx = current.get()
    if actor is None and ctx is not None and ctx.user is not None and ctx.user.is_authenticated:
        actor = ctx.user
    if ip_address is None and ctx is not None:
        ip_address = ctx.ip_address
    if organisation is None and target is not None:
        organisation = _organisation_of(target)
    entry = AuditEntry(
        actor=actor,
        actor_label=(str(actor) if actor is not None else "system")[:200],
        action=action,
        organisation=organisation,
        object_type=target._meta.label_lower if target is not None else "",
        object_id=str(target.pk) if target is not None else "",
        object_repr=str(target)[:300] if target is not None else "",
        ip_address=ip_address,
        data=data or {},
    )
    entry.save()
    return entry


def _organisation_of(target):
    # Duck-typed: the audit log sits below every app and imports none of them.
    if target is not None and target._meta.label_lower == "organisations.organisation":
        return target
    return getattr(target, "organisation", None)
