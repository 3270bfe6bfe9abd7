from django import forms
from django.utils.translation import pgettext_lazy
from wagtail.users.forms import UserCreationForm, UserEditForm

_FIELDS = ["email", "full_name", "phone", "is_superuser", "groups"]


class WagtailUserCreationForm(UserCreationForm):
    first_name = None
    last_name = None
    full_name = forms.CharField(
        required=True, label=pgettext_lazy("person", "name"), max_length=100
    )

    class Meta(UserCreationForm.Meta):
        fields = _FIELDS


class WagtailUserEditForm(UserEditForm):
    first_name = None
    last_name = None
    full_name = forms.CharField(
        required=True, label=pgettext_lazy("person", "name"), max_length=100
    )

    class Meta(UserEditForm.Meta):
        fields = [*_FIELDS, "is_active"]
