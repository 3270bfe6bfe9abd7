from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.emailkit import valid_email_or_none
from allauth.account.utils import user_email
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .signals import sign_in_locked_out


class AccountAdapter(DefaultAccountAdapter):
    """Accounts come from the organisation's roster, never from self sign-up."""

    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "email_password_mismatch": _(
            "The e-mail address or employee number and the password do not match."
        ),
        "too_many_login_attempts": _(
            "Too many failed sign-in attempts. Please wait a few minutes and try again."
        ),
    }

    def is_open_for_signup(self, request):
        return False

    def pre_authenticate(self, request, **credentials):
        """allauth refuses here, before the password is checked, once the account or the
        address has failed too often; the refusal is signalled (the audit log records it)."""
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError:
            sign_in_locked_out.send(
                sender=type(self),
                request=request,
                identifier=credentials.get("email") or credentials.get("username") or "",
            )
            raise


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """allauth's default fills first_name and last_name from a provider's name; ours are computed
    from the roster's full name (read-only properties), so only the e-mail is taken."""

    def populate_user(self, request, sociallogin, data):
        user = sociallogin.user
        user_email(user, valid_email_or_none(data.get("email")) or "")
        return user
