from allauth.account.forms import LoginForm as AllauthLoginForm
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .selectors import staff_for_login


class LoginForm(AllauthLoginForm):
    """Sign in with an e-mail address or an employee number (工号)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["login"] = forms.CharField(
            label=_("E-mail or employee number"),
            max_length=254,
            widget=forms.TextInput(
                attrs={
                    "placeholder": _("E-mail or employee number"),
                    "autocomplete": "username",
                    "autofocus": True,
                }
            ),
        )

    def clean_login(self) -> str:
        login = self.cleaned_data["login"].strip()
        if "@" in login:
            return login.lower()
        emails = {s.user.email for s in staff_for_login(employee_number=login)}
        if len(emails) > 1:
            raise ValidationError(
                _(
                    "This employee number is used in more than one organisation; "
                    "please sign in with your e-mail address."
                ),
                code="ambiguous_employee_number",
            )
        # An unknown number goes on to fail like a wrong password, revealing nothing.
        return emails.pop() if emails else login
