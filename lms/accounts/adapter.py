from allauth.account.adapter import DefaultAccountAdapter
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
