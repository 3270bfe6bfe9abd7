from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from lms.organisations.forms import LoginForm as RosterLoginForm

from . import selectors
from .models import IdentityProvider


class LoginForm(RosterLoginForm):
    """The password form, refused for people whose organisation signs in through its provider
    only (checked once the password is right, so the refusal tells a stranger nothing)."""

    def clean(self):
        cleaned = super().clean()
        user = getattr(self, "user", None)
        provider = selectors.password_sign_in_refused(user) if user is not None else None
        if provider is not None:
            self.user = None
            raise ValidationError(
                _(
                    "Your organisation signs in through %(provider)s, not with a password. "
                    "Please use the “Sign in with %(provider)s” button."
                )
                % {"provider": provider.name},
                code="password_sign_in_off",
            )
        return cleaned


class _HttpsByDefault(forms.URLField):
    """An address typed without a scheme is read as https (Django 6's default, said now)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("assume_scheme", "https")
        super().__init__(**kwargs)


class IdentityProviderForm(forms.ModelForm):
    secret = forms.CharField(
        label=_("client secret"),
        required=False,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_("Never shown again once saved; leave empty to keep the current one."),
    )

    class Meta:
        model = IdentityProvider
        fields = [
            "organisation",
            "kind",
            "name",
            "client_id",
            "secret",
            "server_url",
            "settings",
            "is_active",
            "password_sign_in_allowed",
        ]
        field_classes = {"server_url": _HttpsByDefault}

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        if self.instance.pk and self.instance.secret:
            self.fields["secret"].help_text = _(
                "A secret is stored (%(hint)s). Leave empty to keep it."
            ) % {"hint": self.instance.secret_hint}

    def _post_clean(self):
        # the secret is set by the service (empty keeps the stored one), not by the form
        secret = self.cleaned_data.pop("secret", "")
        super()._post_clean()
        self.cleaned_data["secret"] = secret
