"""Changes of enterprise sign-in: an organisation's identity providers saved (audited, the
secret never written to the log), and a sign-in through one refused (audited like a failed
password sign-in)."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from lms.audit.services import audit_record
from lms.organisations.services import audit_sign_in_refused

from . import selectors
from .models import IdentityProvider

EDITABLE_FIELDS = (
    "organisation",
    "kind",
    "name",
    "client_id",
    "server_url",
    "settings",
    "is_active",
    "password_sign_in_allowed",
)


def _check_administers(actor, organisation_id: int) -> None:
    if not selectors.sso_organisations_for(actor).filter(pk=organisation_id).exists():
        raise PermissionDenied


@transaction.atomic
def identity_provider_save(
    *, actor, provider: IdentityProvider, data: dict[str, Any], secret: str = ""
) -> IdentityProvider:
    """Create (provider.pk is None) or change a provider. An empty `secret` keeps the stored
    one. Both the old and the new organisation must be the actor's."""
    if provider.pk is not None:
        _check_administers(actor, provider.organisation_id)
    for field in EDITABLE_FIELDS:
        if field in data:
            setattr(provider, field, data[field])
    _check_administers(actor, provider.organisation_id)
    if secret:
        provider.secret = secret
    created = provider.pk is None
    provider.full_clean()
    provider.save()
    audit_record(
        action="sso.provider_create" if created else "sso.provider_change",
        target=provider,
        actor=actor,
        organisation=provider.organisation,
        data={
            "name": provider.name,
            "kind": provider.kind,
            "active": provider.is_active,
            "password_sign_in_allowed": provider.password_sign_in_allowed,
            "secret_changed": bool(secret),
        },
    )
    return provider


def sign_in_refused(*, identifier: str, ip_address: str | None) -> None:
    """Someone the provider vouched for is not on the organisation's roster."""
    audit_sign_in_refused(action="auth.sso_refused", identifier=identifier, ip_address=ip_address)
