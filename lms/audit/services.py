import datetime
import decimal
import re
from collections.abc import Callable, Iterable
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
    withhold_actor: bool = False,
) -> AuditEntry:
    """Append one entry. The actor and address default to the current request's; an entry
    with no actor is the platform's ("system") unless `actor_label` says who it was.
    `withhold_actor`: who acted (and from where) is not written at all, for a confidential
    report whose reporter must stay unknown."""
    ctx = current.get()
    if withhold_actor:
        actor, actor_label, ip_address, ctx = None, WITHHELD, None, None
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


WITHHELD = "withheld"

# Object types (app_label.model) whose entries only the organisation's compliance head and CCO
# read, not even a platform administrator: registered by the app that owns them.
_confidential_object_types: set[str] = set()


def register_confidential_object_type(label_lower: str) -> None:
    _confidential_object_types.add(label_lower)


def confidential_object_types() -> frozenset[str]:
    return frozenset(_confidential_object_types)


# --- before and after: what an audited change changed -----------------------------------------


def model_state(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The fields' values as the audit log keeps them: a related object by its name (as it read
    then: names change, the log should not), a choice by its stored value, a date or a number
    as text; JSON-ready."""
    state: dict[str, Any] = {}
    for name in fields:
        field = instance._meta.get_field(name)
        if not isinstance(field, models.Field):
            raise TypeError(f"{name} is not a field of {instance._meta.label} the log can keep")
        if field.many_to_many:
            related = getattr(instance, name).all() if instance.pk else []
            state[name] = sorted(str(obj) for obj in related)
        elif field.is_relation:
            has_value = getattr(instance, field.attname) is not None
            state[name] = str(getattr(instance, name)) if has_value else None
        else:
            value = field.value_from_object(instance)
            if isinstance(field, models.DecimalField) and value is not None:
                # as the column holds it: 60 in a form and 60.00 read back are one value
                value = decimal.Decimal(value).quantize(
                    decimal.Decimal(1).scaleb(-field.decimal_places)
                )
            state[name] = _storable(value)
    return state


def stored_state(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """`model_state` of the row as the database holds it now (empty for a new object)."""
    if instance.pk is None:
        return {}
    stored = type(instance)._default_manager.filter(pk=instance.pk).first()
    return {} if stored is None else model_state(stored, fields)


def state_changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list]:
    """{field: [before, after]} for every field whose value differs."""
    return {
        name: [before.get(name), value]
        for name, value in after.items()
        if before.get(name) != value
    }


def saved_changes(instance: models.Model, before: dict[str, Any], fields: Iterable[str]) -> dict:
    """What a save changes: `before` is `stored_state` of the same fields, read before it."""
    return state_changes(before, model_state(instance, fields))


def audit_saved(
    *,
    instance: models.Model,
    is_new: bool,
    changes: dict,
    actor=None,
    organisation=None,
    label: str | None = None,
) -> AuditEntry:
    """The audit entry of a validated save, with the before and after of what changed (a new
    object's entry holds what it was created with). The action is "<label>.create" or
    "<label>.update", the label defaulting to the model's name."""
    label = label or instance._meta.model_name
    action = f"{label}.{'create' if is_new else 'update'}"
    return audit_record(
        action=action,
        target=instance,
        actor=actor,
        organisation=organisation,
        data={"changes": changes} if changes else {},
    )


def editable_fields(model: type[models.Model]) -> tuple[str, ...]:
    """The fields people edit on a model: concrete, editable, not the key, not a timestamp the
    database keeps (auto_now), not a many-to-many (set after the save)."""
    return tuple(
        f.name
        for f in model._meta.concrete_fields
        if f.editable
        and not f.primary_key
        and not getattr(f, "auto_now", False)
        and not getattr(f, "auto_now_add", False)
    )


def audited_save(
    instance: models.Model,
    *,
    tracked: Iterable[str] | None = None,
    actor=None,
    organisation=None,
    label: str | None = None,
    validate: Callable[[], None] | None = None,
) -> dict:
    """The one shape of validate–save–audit: read the stored state of `tracked` (default: the
    model's `editable_fields`), validate (`full_clean`, then the caller's `validate`, which
    raises ValidationError), save, and append an entry with the before and after of what
    changed. Returns the changes. A caller with a rule that needs the changes before the save
    (a rank check) uses `stored_state`, `saved_changes` and `audit_saved` in its own order.

    Call inside the caller's transaction (services are atomic)."""
    tracked = tuple(tracked) if tracked is not None else editable_fields(type(instance))
    is_new = instance.pk is None
    before = stored_state(instance, tracked)
    instance.full_clean()
    if validate is not None:
        validate()
    instance.save()
    changes = saved_changes(instance, before, tracked)
    audit_saved(
        instance=instance,
        is_new=is_new,
        changes=changes,
        actor=actor,
        organisation=organisation,
        label=label,
    )
    return changes


def _storable(value):
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple):
        return [_storable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _storable(v) for k, v in value.items()}
    if isinstance(value, datetime.date | datetime.datetime | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return format(value, "f")
    return str(value)


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
