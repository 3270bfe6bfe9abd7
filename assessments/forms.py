"""Admin forms: the question editor (options and key as plain fields), exams, candidates,
grading and the import upload."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.forms import WagtailAdminModelForm

from lms.admin_scoping import ScopedForm
from lms.organisations.models import ComplianceRole, Organisation

from . import selectors
from .formats import FORMAT_LABELS, FORMATS
from .models import OPTION_LETTERS, QuestionKind

_SPLIT = re.compile(r"[,，;；、\n]")


def bank_owner_choices(user):
    from lms.organisations.access import access_for

    access = access_for(user)
    if access.is_platform_admin:
        return Organisation.objects.all()
    return Organisation.objects.filter(pk__in=access.admin_org_ids | access.regulator_ids)


class QuestionBankForm(ScopedForm):
    scoped_fields = {"organisation": bank_owner_choices}


def _number(value: float):
    return int(value) if value.is_integer() else value


class QuestionForm(ScopedForm):
    """Options A-J and the key as text fields; tags comma-separated."""

    scoped_fields = {"bank": selectors.banks_manageable_by}
    key_text = forms.CharField(
        label=_("Key"),
        help_text=_(
            "Letters of the correct options (e.g. ACD); 正确 or 错误; accepted fill-in answers "
            "separated by |; a reference answer for a short answer."
        ),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    tags_text = forms.CharField(label=_("Tags"), required=False, help_text=_("Comma-separated."))
    weights_text = forms.CharField(
        label=_("Option grades (partial credit)"),
        required=False,
        help_text=_(
            "Optional: each option's grade in percent in option order, separated by | (e.g. "
            "50|50|-100). Empty: a multiple choice scores only exactly the key."
        ),
    )
    feedback_text = forms.CharField(
        label=_("Feedback on each option"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional: one line per option, in option order; shown in the review."),
    )
    option_A = forms.CharField(label=_("Option A"), required=False)
    option_B = forms.CharField(label=_("Option B"), required=False)
    option_C = forms.CharField(label=_("Option C"), required=False)
    option_D = forms.CharField(label=_("Option D"), required=False)
    option_E = forms.CharField(label=_("Option E"), required=False)
    option_F = forms.CharField(label=_("Option F"), required=False)
    option_G = forms.CharField(label=_("Option G"), required=False)
    option_H = forms.CharField(label=_("Option H"), required=False)
    option_I = forms.CharField(label=_("Option I"), required=False)
    option_J = forms.CharField(label=_("Option J"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for index, letter in enumerate(OPTION_LETTERS):
            if self.instance.pk and index < len(self.instance.options):
                self.initial[f"option_{letter}"] = self.instance.options[index]
        if self.instance.pk:
            self.initial["tags_text"] = "，".join(self.instance.tags)
            self.initial["key_text"] = self._key_as_text(self.instance)
            self.initial["weights_text"] = "|".join(
                f"{float(w):.7g}" for w in self.instance.option_weights
            )
            self.initial["feedback_text"] = "\n".join(self.instance.option_feedback)

    @staticmethod
    def _key_as_text(question) -> str:
        if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            return "".join(question.key)
        if question.kind == QuestionKind.TRUE_FALSE:
            return "正确" if question.key == ["true"] else "错误"
        return "|".join(question.key)

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        options = [data.get(f"option_{letter}", "").strip() for letter in OPTION_LETTERS]
        while options and not options[-1]:
            options.pop()
        raw = (data.get("key_text") or "").strip()
        if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            key = [c for c in raw.upper() if c in OPTION_LETTERS]
        elif kind == QuestionKind.TRUE_FALSE:
            key = ["true"] if raw.lower() in ("正确", "对", "true", "t", "是") else ["false"]
            options = []
        elif kind == QuestionKind.FILL_IN:
            key = [k.strip() for k in re.split(r"[|｜]", raw) if k.strip()]
            options = []
        else:
            key = [raw] if raw else []
            options = []
        weights, feedback = [], []
        if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            try:
                weights = [
                    _number(float(w))
                    for w in re.split(r"[|｜]", data.get("weights_text") or "")
                    if w.strip()
                ]
            except ValueError:
                self.add_error("weights_text", _("Enter numbers separated by |."))
            lines = (data.get("feedback_text") or "").splitlines()
            feedback = [line.strip() for line in lines][: len(options)]
            if any(feedback):
                feedback += [""] * (len(options) - len(feedback))
            else:
                feedback = []
        self.instance.option_weights = weights
        self.instance.option_feedback = feedback
        self.instance.options = options
        self.instance.key = key
        self.instance.tags = [
            t.strip() for t in _SPLIT.split(data.get("tags_text", "")) if t.strip()
        ]
        return data

    def _update_errors(self, errors):
        """The model's reasons about the key belong on the key's text field (the form has no
        `key` field: an empty or half-filled form is a form error, not a 500)."""
        if hasattr(errors, "error_dict") and "key" in errors.error_dict:
            errors.error_dict["key_text"] = errors.error_dict.pop("key")
        for name in ("option_weights", "option_feedback"):
            if hasattr(errors, "error_dict") and name in errors.error_dict:
                errors.error_dict["key_text"] = errors.error_dict.pop(name)
        super()._update_errors(errors)


class BlueprintForm(ScopedForm):
    """The blueprint and its sections; each section's fixed questions come from the blueprint's
    own bank, among the questions the user may see (`selectors.fixed_question_choices`)."""

    scoped_fields = {"bank": selectors.banks_manageable_by}

    def __init__(self, *args, for_user=None, **kwargs):
        # Read by the sections' formset (inherit_kwargs) while super() builds it.
        instance = kwargs.get("instance")
        self.fixed_question_choices = (
            selectors.fixed_question_choices(for_user, bank_id=getattr(instance, "bank_id", None))
            if for_user is not None
            else None
        )
        super().__init__(*args, for_user=for_user, **kwargs)


class BlueprintSectionForm(WagtailAdminModelForm):
    def __init__(self, *args, fixed_question_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        if fixed_question_choices is not None and "fixed_questions" in self.fields:
            self.fields["fixed_questions"].queryset = fixed_question_choices


class ExamForm(ScopedForm):
    scoped_fields = {
        "organisation": bank_owner_choices,
        "blueprint": selectors.blueprints_manageable_by,
    }
    audience_roles = forms.MultipleChoiceField(
        label=_("Audience: compliance roles"),
        choices=ComplianceRole.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        if for_user is not None:
            from wagtail.models import Page

            from content.selectors import courses_visible_to, curricula_visible_to
            from lms.organisations.selectors import positions_definable_by

            if "course" in self.fields:
                self.fields["course"].queryset = Page.objects.filter(
                    pk__in=courses_visible_to(user=for_user).values("pk")
                )
            if "audience_curriculum" in self.fields:
                self.fields["audience_curriculum"].queryset = curricula_visible_to(user=for_user)
            if "audience_positions" in self.fields:
                self.fields["audience_positions"].queryset = positions_definable_by(for_user)


class CandidateForm(ScopedForm):
    scoped_fields = {"exam": selectors.exams_manageable_by}

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        if for_user is not None and "user" in self.fields:
            from django.contrib.auth import get_user_model

            from lms.organisations.selectors import staff_manageable_by

            self.fields["user"].queryset = get_user_model().objects.filter(
                pk__in=staff_manageable_by(for_user).values("user_id")
            )


class AnnualTemplateForm(ScopedForm):
    scoped_fields = {
        "organisation": selectors.template_owner_choices,
        "blueprint": selectors.blueprints_manageable_by,
    }


MAX_IMPORT_BYTES = 50 * 1024 * 1024  # a Moodle XML with embedded images can be large


class ImportForm(forms.Form):
    file = forms.FileField(label=_("File"))
    format = forms.ChoiceField(
        label=pgettext_lazy("file format", "Format"),
        choices=[("", _("From the file name"))] + [(f, FORMAT_LABELS[f]) for f in FORMATS],
        required=False,
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)d MB: split it into smaller files.")
                % {"size": MAX_IMPORT_BYTES // (1024 * 1024)}
            )
        return upload


class GradeForm(forms.Form):
    points = forms.DecimalField(label=_("Points"), min_value=0, decimal_places=2)
    comment = forms.CharField(
        label=pgettext_lazy("grading", "Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
