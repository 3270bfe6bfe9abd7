from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lms.organisations.models import ComplianceRole, Organisation

from .models import DRAWABLE_ROLES, Campaign, InspectorRecusal

ROLE_LABELS = dict(ComplianceRole.choices)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def format_value(self, value):
        # The form field hands over the time already in the current time zone, and naive
        # (DateTimeField.prepare_value); an aware one (set as initial by code) is converted.
        if hasattr(value, "strftime"):
            if timezone.is_aware(value):
                value = timezone.localtime(value)
            return value.strftime("%Y-%m-%dT%H:%M")
        return value


class CampaignForm(forms.ModelForm):
    """The campaign's scope, sizes, paper, window and verdict rule. People per role are one
    number field each (role_<code>)."""

    scope_sectors = forms.MultipleChoiceField(
        label=_("Sectors"),
        choices=Organisation.Sector.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every sector."),
    )
    scope_risk_grades = forms.MultipleChoiceField(
        label=_("Risk grades"),
        choices=Organisation.RiskGrade.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every grade."),
    )
    include = forms.ModelMultipleChoiceField(
        label=_("Also include"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    exclude = forms.ModelMultipleChoiceField(
        label=_("Exclude"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    class Meta:
        model = Campaign
        fields = [
            "title",
            "description",
            "scope_sectors",
            "scope_region_prefix",
            "scope_risk_grades",
            "enterprise_count_mode",
            "enterprise_count_value",
            "weighting",
            "inspectors_per_enterprise",
            "blueprint",
            "opens_at",
            "closes_at",
            "time_limit_minutes",
            "pass_mark",
            "verdict_rule",
            "verdict_min_percent",
            "rectification_days",
        ]
        widgets = {
            "opens_at": DateTimeInput(),
            "closes_at": DateTimeInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, enterprises, blueprints, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["include"].queryset = enterprises
        self.fields["exclude"].queryset = enterprises
        self.fields["blueprint"].queryset = blueprints
        self.fields["blueprint"].empty_label = None
        roles = self.instance.roles or {}
        if self.instance.pk:
            self.fields["include"].initial = list(
                self.instance.scope_include.values_list("pk", flat=True)
            )
            self.fields["exclude"].initial = list(
                self.instance.scope_exclude.values_list("pk", flat=True)
            )
        for role in DRAWABLE_ROLES:
            self.fields[f"role_{role}"] = forms.IntegerField(
                label=_("%(role)s per enterprise") % {"role": ROLE_LABELS[role]},
                min_value=0,
                max_value=100,
                initial=roles.get(str(role), 0),
                required=False,
            )

    def _update_errors(self, errors):
        # the model checks `roles`, which the form shows as one field per role
        if hasattr(errors, "error_dict"):
            merged: dict[str, list] = {}
            for name, messages in errors.error_dict.items():
                key = name if name in self.fields else NON_FIELD_ERRORS
                merged.setdefault(key, []).extend(messages)
            errors = ValidationError(merged)
        super()._update_errors(errors)

    def role_fields(self):
        return [self[f"role_{role}"] for role in DRAWABLE_ROLES]

    def clean(self):
        data = super().clean()
        roles = {str(r): data.get(f"role_{r}") or 0 for r in DRAWABLE_ROLES}
        self.instance.roles = {r: n for r, n in roles.items() if n}
        include, exclude = data.get("include") or [], data.get("exclude") or []
        both = set(include) & set(exclude)
        if both:
            self.add_error(
                "exclude",
                _("An enterprise cannot be both included and excluded: %(names)s")
                % {"names": "、".join(o.name for o in both)},
            )
        return data


class RecusalForm(forms.ModelForm):
    class Meta:
        model = InspectorRecusal
        fields = ["inspector", "enterprise", "reason"]

    def __init__(self, *args, inspectors, enterprises, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["inspector"].queryset = inspectors
        self.fields["inspector"].label_from_instance = lambda s: s.user.full_name or s.user.email
        self.fields["enterprise"].queryset = enterprises


class RectificationReportForm(forms.Form):
    text = forms.CharField(label=_("What was rectified"), widget=forms.Textarea(attrs={"rows": 6}))


class RectificationDecisionForm(forms.Form):
    comment = forms.CharField(
        label=pgettext_lazy("verdict", "Comments"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
