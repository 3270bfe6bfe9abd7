from django import forms
from django.utils.translation import gettext_lazy as _

from content.selectors import courses_visible_to
from lms.organisations.selectors import staff_active, staff_changeable_by


class ManualAssignmentForm(forms.Form):
    staff = forms.ModelChoiceField(label=_("Person"), queryset=None)
    course = forms.ModelChoiceField(label=_("Course"), queryset=None)
    due_on = forms.DateField(
        label=_("Due on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Only people who rank below the user, never themself (the rank rule).
        self.fields["staff"].queryset = staff_active(staff_changeable_by(user))
        self.fields["staff"].label_from_instance = lambda s: (
            f"{s.user.full_name or s.user.email} · {s.employee_number} · {s.organisation.short_name or s.organisation.name}"
        )
        self.fields["course"].queryset = courses_visible_to(user=user).order_by("title")


class WaiverForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))
