"""Admin forms for content snippets: clear messages for a curriculum that cannot work."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from lms.organisations.models import ENTERPRISE_COMPLIANCE_ROLES, ComplianceRole

ROLE_CHOICES = [
    (value, label)
    for value, label in ComplianceRole.choices
    if value in ENTERPRISE_COMPLIANCE_ROLES
]

NO_COURSE = _("Add at least one course to the curriculum.")
NO_AUDIENCE = _(
    "Choose an audience: everyone, compliance roles, key, high-risk or management positions, "
    "departments, or new hires."
)


class CurriculumForm(WagtailAdminModelForm):
    audience_roles = forms.MultipleChoiceField(
        label=_("compliance roles"),
        choices=ROLE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        if for_user is not None:
            from .selectors import curriculum_owner_choices, departments_for_curricula

            self.fields["owner_organisation"].queryset = curriculum_owner_choices(user=for_user)
            self.fields["audience_departments"].queryset = departments_for_curricula(user=for_user)
            if not _is_platform_admin(for_user):
                self.fields["owner_organisation"].required = True
                self.fields["owner_organisation"].empty_label = None

    def clean(self):
        cleaned = super().clean()
        errors = []
        courses = self._course_forms()
        if not courses:
            errors.append(ValidationError(NO_COURSE, code="no_course"))
        from .models import curriculum_has_audience

        if not curriculum_has_audience(
            everyone=cleaned.get("audience_everyone"),
            roles=cleaned.get("audience_roles"),
            flags=(
                cleaned.get("audience_key_positions"),
                cleaned.get("audience_high_risk_positions"),
                cleaned.get("audience_management_positions"),
            ),
            has_departments=bool(cleaned.get("audience_departments")),
            new_hire_days=cleaned.get("audience_new_hire_days"),
        ):
            errors.append(ValidationError(NO_AUDIENCE, code="no_audience"))
        owner = cleaned.get("owner_organisation")
        group_refusal = self._group_refusal(owner, cleaned.get("apply_to_subsidiaries"))
        if group_refusal:
            self.add_error("apply_to_subsidiaries", group_refusal)
        departments = cleaned.get("audience_departments") or []
        if owner and any(d.organisation_id != owner.pk for d in departments):
            self.add_error(
                "audience_departments",
                _("Choose departments of the owner organisation only."),
            )
        if errors:
            raise ValidationError(errors)
        return cleaned

    def _group_refusal(self, owner, apply_to_subsidiaries) -> str | None:
        """Only the owner's compliance head or chief compliance officer turns a curriculum
        group-wide (or moves a group-wide one to another owner); a platform-wide curriculum
        already applies everywhere."""
        if not apply_to_subsidiaries or self.for_user is None:
            return None
        if owner is None:
            return _("A platform-wide curriculum already applies to every enterprise.")
        changed = {"apply_to_subsidiaries", "owner_organisation"} & set(self.changed_data)
        if not changed:
            return None
        from lms.organisations.access import access_for

        if access_for(self.for_user).may_run_group_campaign(owner.pk):
            return None
        return _(
            "Only the compliance head or the chief compliance officer of %(organisation)s may "
            "apply a curriculum to its subsidiaries."
        ) % {"organisation": owner.name}

    def _course_forms(self) -> list:
        formset = self.formsets.get("curriculum_courses")
        if formset is None:
            return []
        formset.is_valid()
        return [
            f
            for f in formset.forms
            if getattr(f, "cleaned_data", None)
            and f.cleaned_data.get("course")
            and not f.cleaned_data.get("DELETE")
        ]


def _is_platform_admin(user) -> bool:
    from lms.organisations.access import access_for

    return access_for(user).is_platform_admin
