"""The Wagtail admin's own account page, fitted to our user model.

Wagtail's name panel asks for a first and a last name, which our users do not have (one 姓名
field), so its form never validated and the whole page could not be saved (not even the admin
language). Here the name panel edits `full_name`; e-mail and password stay with the roster and
the site's account pages (allauth), see settings.
"""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import pgettext_lazy
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views import account


class FullNameForm(forms.ModelForm):
    class Meta:
        model = get_user_model()
        fields = ["full_name"]


class FullNameSettingsPanel(account.NameEmailSettingsPanel):
    form_class = FullNameForm
    title = pgettext_lazy("person", "Name")


class AccountView(account.AccountView):
    def get_panels(self):
        return [
            FullNameSettingsPanel(self.request, panel.user, panel.profile)
            if isinstance(panel, account.NameEmailSettingsPanel)
            else panel
            for panel in super().get_panels()
        ]


account_view = require_admin_access(AccountView.as_view())
