import re
from typing import Any

from django.db import models
from django.utils.crypto import salted_hmac

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
    actor_label: str | None = None,
) -> AuditEntry:
    """Append one entry. The actor and address default to the current request's; an entry
    with no actor is the platform's ("system") unless `actor_label` says who it was."""
    ctx = current.get()
    if actor is None and ctx is not None and ctx.user is not None and ctx.user.is_authenticated:
        actor = ctx.user
    if ip_address is None and ctx is not None:
        ip_address = ctx.ip_address
    if organisation is None and target is not None:
        organisation = _organisation_of(target)
    entry = AuditEntry(
        actor=actor,
        actor_label=(str(actor) if actor is not None else (actor_label or "system"))[:200],
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


# --- sign-in, sign-out, failures and lock-outs ----------------------------------------------
ANONYMOUS = "anonymous"
_MAX_IDENTIFIER = 254
_STORABLE = re.compile(
    r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ud800-\udfff]"
)


def attempted_identifier(value) -> str:
    """What someone typed to sign in, fit to store: no control, invisible or unpaired
    surrogate characters, at most 254 characters."""
    text = _STORABLE.sub("", str(value or ""))
    return text.strip()[:_MAX_IDENTIFIER]


def masked_identifier(identifier: str) -> dict[str, str]:
    """An identifier that matched no account is not stored as typed (it may be a password
    typed in the wrong box): its first character, the domain of an e-mail address, and a keyed
    fingerprint that ties repeated attempts with the same text together."""
    local, at, domain = identifier.rpartition("@")
    if not at:
        local, domain = identifier, ""
    shown = (local[:1] + "…") if local else "…"
    fingerprint = salted_hmac("lms.audit.sign_in", identifier.lower()).hexdigest()[:16]
    return {"identifier": shown + (at + domain if at else ""), "fingerprint": fingerprint}


def first_lock_out_this_minute(identifier: str, ip_address: str | None) -> bool:
    """True once a minute per identifier and address: every attempt refused while an account
    is locked would otherwise flood the log."""
    from django.core.cache import cache

    fingerprint = salted_hmac("lms.audit.lock_out", f"{identifier.lower()}|{ip_address}")
    return cache.add(f"audit:locked_out:{fingerprint.hexdigest()[:32]}", 1, timeout=60)
