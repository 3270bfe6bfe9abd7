"""allauth's social account adapter for enterprise sign-in.

The apps come from IdentityProvider rows (apps_runtime.py), never from settings or allauth's own
SocialApp table. A person a provider vouches for is matched to that provider's organisation's
roster by the e-mail address or employee number it asserts, and signed in as that rostered
account (through allauth's login, so the audit entries and the MFA stage are the password
sign-in's); nobody off the roster gets in, and no account is ever created here."""

from allauth.account.adapter import get_adapter as get_account_adapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.core.internal import ratelimit
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialApp
from django.http import Http404
from django.template.response import TemplateResponse

from lms.audit.context import client_ip

from . import selectors, services
from .apps_runtime import ROW_KEY, claim, social_app_for
from .models import IdentityProvider

CHOSEN_SESSION_KEY = "sso_chosen_provider"


class NoProviderConfigured(SocialApp.DoesNotExist, Http404):
    """No active provider answers to this address: allauth's views answer 404, not 500."""


def refusal_response(request, *, reason: str, provider_name: str = "", status: int = 403):
    return TemplateResponse(
        request,
        "sso/refused.html",
        {"reason": reason, "provider_name": provider_name},
        status=status,
    )


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request, sociallogin):
        return False

    def populate_user(self, request, sociallogin, data):
        """The account is the roster's (matched in pre_social_login); nothing the provider says
        about the person is copied onto a user here."""
        user = sociallogin.user
        user.email = (data.get("email") or "").strip().lower()
        return user

    # --- apps from IdentityProvider rows -----------------------------------------------------

    def list_apps(self, request, provider=None, client_id=None):
        apps = [app for row in selectors.active_providers() if (app := social_app_for(row))]
        if provider:
            apps = [a for a in apps if provider in (a.provider, a.provider_id)]
        if client_id:
            apps = [a for a in apps if a.client_id == client_id]
        chosen = _chosen(request)
        if len(apps) > 1 and chosen is not None:
            apps = [a for a in apps if a.settings.get(ROW_KEY) == chosen] or apps
        return apps

    def get_app(self, request, provider, client_id=None):
        apps = self.list_apps(request, provider=provider, client_id=client_id)
        if len(apps) != 1:
            # several organisations use this kind and the person did not start from one of
            # their buttons: which one is meant cannot be known
            raise NoProviderConfigured
        return apps[0]

    # --- matching to the roster ----------------------------------------------------------------

    def pre_social_login(self, request, sociallogin):
        row = _row_of(request, sociallogin)
        if row is None:
            raise ImmediateHttpResponse(refusal_response(request, reason="unknown", status=404))
        if sociallogin.state.get("process", "login") != "login":
            # connecting a provider to an account, or a bare redirect, is not offered: the
            # roster decides who a provider's person is
            raise ImmediateHttpResponse(
                refusal_response(request, reason="connect", provider_name=row.name)
            )
        data = sociallogin.account.get_provider_account().get_user_data() or {}
        if not isinstance(data, dict):
            data = {}
        email = _asserted_email(sociallogin, data)
        number_claim = (row.settings or {}).get("employee_number_claim") or _default_number_claim(
            row.kind
        )
        employee_number = claim(data, number_claim) if number_claim else ""
        user = selectors.rostered_user(
            organisation_id=row.organisation_id, email=email, employee_number=employee_number
        )
        if user is not None and sociallogin.is_existing and sociallogin.user.pk != user.pk:
            # the provider's identity was linked to someone else before (say, an e-mail
            # address since given to a colleague): the roster wins, never the old link
            user = None
        if user is None:
            self._refuse(request, row, identifier=email or employee_number)
        if not _under_login_limits(request, user):
            raise ImmediateHttpResponse(
                refusal_response(request, reason="locked_out", provider_name=row.name, status=429)
            )
        if sociallogin.is_existing:
            return
        sociallogin.connect(request, user)

    def _refuse(self, request, row: IdentityProvider, *, identifier: str):
        # counted like a failed password sign-in from this address (the provider's callback
        # is a GET, which allauth's public helper would not count)
        key = get_account_adapter(request)._get_login_attempts_cache_key(
            request, email=identifier or "?"
        )
        ratelimit.consume(
            request, app="allauth.account", action="login_failed", key=key, limit_get=True
        )
        services.sign_in_refused(identifier=identifier or "?", ip_address=client_ip(request))
        raise ImmediateHttpResponse(
            refusal_response(request, reason="not_on_roster", provider_name=row.name)
        )


def _chosen(request) -> int | None:
    session = getattr(request, "session", None)
    if session is None:
        return None
    value = session.get(CHOSEN_SESSION_KEY)
    return value if isinstance(value, int) else None


def _row_of(request, sociallogin) -> IdentityProvider | None:
    try:
        app = sociallogin.account.get_provider(request).app
    except SocialApp.DoesNotExist:
        return None
    pk = (app.settings or {}).get(ROW_KEY) if app is not None else None
    return selectors.active_provider(pk) if isinstance(pk, int) else None


def _asserted_email(sociallogin, data: dict) -> str:
    for address in sociallogin.email_addresses:
        if address.email:
            return address.email.strip().lower()
    for name in ("email", "enterprise_email", "orgEmail"):
        if value := claim(data, name):
            return value.lower()
    return ""


def _default_number_claim(kind: str) -> str:
    # Feishu's user_info carries the employee number as employee_no, WeCom's member its userid
    # (commonly the employee number); an OIDC provider's names it as the organisation configures.
    return {
        IdentityProvider.Kind.FEISHU: "employee_no",
        IdentityProvider.Kind.WECOM: "userid",
        IdentityProvider.Kind.SAML: "employee_number",
    }.get(IdentityProvider.Kind(kind), "")


def _under_login_limits(request, user) -> bool:
    """The password sign-in's lock-out applies here too: an account locked after failed
    password attempts stays locked whichever door is tried."""
    adapter = get_account_adapter(request)
    key = adapter._get_login_attempts_cache_key(request, email=user.email)
    usage = ratelimit.consume(
        request,
        app="allauth.account",
        action="login_failed",
        key=key,
        dry_run=True,
        limit_get=True,
    )
    return usage is not None
