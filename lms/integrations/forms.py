from django import forms
from django.utils.translation import gettext_lazy as _

from . import events
from .models import ApiKey


class ApiKeyForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=None)
    name = forms.CharField(
        label=_("Name"), max_length=100, help_text=_("What the key is for, e.g. the HR system.")
    )
    scope = forms.ChoiceField(
        label=_("Access"),
        choices=ApiKey.Scope.choices,
        initial=ApiKey.Scope.READ,
        help_text=_("Read: records only. Read and write: also sends the roster."),
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        if organisations.count() == 1:
            self.fields["organisation"].initial = organisations.first()


class WebhookEndpointForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=None)
    url = forms.CharField(
        label=_("Address"),
        max_length=500,
        help_text=_("Where events are posted, e.g. https://hr.example.cn/hegui/webhook."),
    )
    events = forms.MultipleChoiceField(
        label=_("Events"), choices=events.CHOICES, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        if organisations.count() == 1:
            self.fields["organisation"].initial = organisations.first()
