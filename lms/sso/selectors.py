"""Reads of enterprise sign-in, scoped through lms/organisations/access.py: an organisation's
identity providers are seen and edited by platform administrators and the organisation's own
administrators; the sign-in page reads only what a stranger may see (the active providers'
names for an organisation named by its credit code)."""

from django.db.models import QuerySet

from lms.organisations.access import access_for
from lms.organisations.selectors import roster_organisations_for, staff_active

from .models import IdentityProvider


def sso_organisations_for(user):
    """The organisations whose identity providers the user manages: those whose roster they
    administer (sign-in through a provider is a door to the same roster)."""
    return roster_organisations_for(user)


def identity_providers_manageable_by(user) -> QuerySet[IdentityProvider]:
    return IdentityProvider.objects.filter(
        organisation__in=sso_organisations_for(user)
    ).select_related("organisation")


def active_providers(*, kind: str | None = None) -> QuerySet[IdentityProvider]:
    """Providers people may sign in through: active, of an active organisation."""
    qs = IdentityProvider.objects.filter(is_active=True, organisation__is_active=True)
    if kind is not None:
        qs = qs.filter(kind=kind)
    return qs.select_related("organisation")


def active_provider(pk: int) -> IdentityProvider | None:
    return active_providers().filter(pk=pk).first()


def sign_in_providers_for(*, org: str) -> list[IdentityProvider]:
    """The buttons on the sign-in page opened as /accounts/login/?org=<credit code>."""
    org = (org or "").strip().upper()
    if not org or len(org) > 18:
        return []
    return list(active_providers().filter(organisation__credit_code=org).order_by("name"))


def rostered_user(*, organisation_id: int, email: str = "", employee_number: str = ""):
    """The one active person on the organisation's roster with this e-mail address or, failing
    that, this employee number; None when nobody (or more than one person) matches. Only this
    organisation's roster: its provider vouches for nobody else."""
    roster = staff_active().filter(organisation_id=organisation_id).select_related("user")
    email = (email or "").strip().lower()
    if email:
        users = {s.user for s in roster.filter(user__email__iexact=email)}
        if len(users) == 1:
            return users.pop()
    employee_number = (employee_number or "").strip()
    if employee_number:
        users = {s.user for s in roster.filter(employee_number=employee_number)}
        if len(users) == 1:
            return users.pop()
    return None


def password_sign_in_refused(user) -> IdentityProvider | None:
    """The active provider through which the user must sign in instead of a password, if one of
    their organisations turned password sign-in off. Platform administrators (superusers) keep
    their password: they are the way back in when a provider fails."""
    if user is None or not user.is_active or user.is_superuser:
        return None
    member_org_ids = access_for(user).member_org_ids
    if not member_org_ids:
        return None
    return (
        active_providers()
        .filter(organisation_id__in=member_org_ids, password_sign_in_allowed=False)
        .order_by("pk")
        .first()
    )
