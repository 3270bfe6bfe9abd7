"""Wagtail admin for the exam engine: banks, questions, blueprints, exams, candidates, annual
templates (all scoped via lms.admin_scoping), plus the grading queue, exam reports and the
import/export page."""

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.shortcuts import redirect
from django.urls import include, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.base import ViewSetGroup

from lms.admin_scoping import (
    ScopedCreateView,
    ScopedDeleteView,
    ScopedEditView,
    ScopedHistoryView,
    ScopedIndexView,
    ScopedModelViewSet,
    ScopedUsageView,
)

from . import admin_views, forms, selectors, services
from .models import (
    OPTION_LETTERS,
    AnnualExamTemplate,
    Blueprint,
    Exam,
    ExamCandidate,
    Question,
    QuestionBank,
)


class LinkColumn(Column):
    def __init__(self, name, label, url_name, text):
        super().__init__(name, label=label)
        self.url_name, self.text = url_name, text

    def get_value(self, instance):
        return format_html(
            '<a href="{}">{}</a>', reverse(self.url_name, args=[instance.pk]), self.text
        )


class _ServiceErrorShown:
    # lms.admin_scoping re-renders the form after a service's ValidationError without going
    # through Wagtail's is_valid(), which is where this attribute is normally set.
    produced_error_message = None


class CreateView(_ServiceErrorShown, ScopedCreateView):
    pass


class EditView(_ServiceErrorShown, ScopedEditView):
    pass


class ExamAdminViewSet(ScopedModelViewSet):
    add_view_class = CreateView
    edit_view_class = EditView


class QuestionBankViewSet(ExamAdminViewSet):
    model = QuestionBank
    icon = "folder-open-inverse"
    menu_label = _("Question banks")
    list_display = [
        "name",
        "organisation",
        "is_shared",
        LinkColumn(
            "transfer",
            _("Import / export"),
            "assessments_admin:bank_transfer",
            _("Import / export"),
        ),
    ]
    search_fields = ["name"]
    form_fields = ["organisation", "name", "description", "is_shared"]
    delete_view_enabled = False

    def get_edit_handler(self):
        from wagtail.admin.panels import ObjectList

        return ObjectList(
            base_form_class=forms.QuestionBankForm,
            children=[FieldPanel(f) for f in self.form_fields],
        ).bind_to_model(self.model)

    def scope(self, user):
        return selectors.banks_manageable_by(user)

    def save(self, request, instance, is_new):
        return services.bank_save(bank=instance, actor=request.user)


class QuestionIndexView(ScopedIndexView):
    """The question list says which banks' questions it leaves out, and why."""

    def get(self, request, *args, **kwargs):
        if not self.results_only:
            for reason in selectors.withheld_bank_reasons(request.user):
                messages.warning(request, reason)
        return super().get(request, *args, **kwargs)


class WithheldQuestionMixin:
    """A question of a bank withheld from the user (they may still sit an exam drawing on it)
    is outside their scope: instead of a bare 404, the list with the reason."""

    withheld = None

    def setup(self, request, *args, **kwargs):
        pk = unquote(str(kwargs.get("pk", "")))
        bank_id = None
        if pk.isdigit():
            bank_id = (
                Question.objects.filter(pk=pk, bank__in=selectors.banks_manageable_by(request.user))
                .values_list("bank_id", flat=True)
                .first()
            )
        self.withheld = bank_id and selectors.bank_withheld_reason(request.user, bank_id=bank_id)
        if self.withheld:
            # Some of Wagtail's views look the object up in setup(): dispatch() refuses first.
            self.request, self.args, self.kwargs = request, args, kwargs
            return
        super().setup(request, *args, **kwargs)

    def dispatch(self, request, *args, **kwargs):
        if self.withheld:
            messages.error(request, self.withheld)
            return redirect("questions:index")
        return super().dispatch(request, *args, **kwargs)


class QuestionEditView(WithheldQuestionMixin, EditView):
    pass


class QuestionHistoryView(WithheldQuestionMixin, ScopedHistoryView):
    pass


class QuestionUsageView(WithheldQuestionMixin, ScopedUsageView):
    pass


class RetireQuestionView(WithheldQuestionMixin, ScopedDeleteView):
    """Questions are retired, never deleted: attempts keep the version they showed."""

    def delete_action(self):
        services.question_retire(question=self.object, actor=self.request.user)


class QuestionViewSet(ExamAdminViewSet):
    model = Question
    icon = "help"
    menu_label = _("Questions")
    list_display = ["__str__", "kind", "difficulty", "version", "status", "bank"]
    list_filter = ["kind", "difficulty", "status"]
    search_fields = ["stem"]
    index_view_class = QuestionIndexView
    edit_view_class = QuestionEditView
    history_view_class = QuestionHistoryView
    usage_view_class = QuestionUsageView
    delete_view_class = RetireQuestionView

    def get_edit_handler(self):
        from wagtail.admin.panels import ObjectList

        return ObjectList(
            base_form_class=forms.QuestionForm,
            children=[
                FieldPanel("bank"),
                FieldRowPanel([FieldPanel("kind"), FieldPanel("difficulty")]),
                FieldPanel("stem"),
                MultiFieldPanel(
                    [FieldPanel(f"option_{letter}") for letter in OPTION_LETTERS],
                    heading=_("Options"),
                ),
                FieldPanel("key_text"),
                FieldPanel("weights_text"),
                FieldPanel("feedback_text"),
                FieldPanel("explanation"),
                FieldPanel("tags_text"),
                FieldPanel("regulation_reference"),
            ],
        ).bind_to_model(self.model)

    def scope(self, user):
        return selectors.questions_manageable_by(user)

    def save(self, request, instance, is_new):
        content = {f: getattr(instance, f) for f in services.banks.QUESTION_CONTENT_FIELDS}
        if is_new:
            return services.question_create(bank=instance.bank, actor=request.user, **content)
        # An edit of a question used in an attempt becomes a new version.
        original = Question.objects.get(pk=instance.pk)
        return services.question_update(question=original, actor=request.user, **content)


class SectionsPanel(InlinePanel):
    """A blueprint's sections, whose forms take their fixed-question choices from the
    blueprint's form (see forms.BlueprintForm)."""

    def get_form_options(self):
        options = super().get_form_options()
        options["formsets"][self.relation_name].update(
            form=forms.BlueprintSectionForm, inherit_kwargs=["fixed_question_choices"]
        )
        return options


class BlueprintViewSet(ExamAdminViewSet):
    model = Blueprint
    icon = "list-ol"
    menu_label = _("Blueprints")
    list_display = ["name", "bank"]
    search_fields = ["name"]

    def get_edit_handler(self):
        from wagtail.admin.panels import ObjectList

        return ObjectList(
            base_form_class=forms.BlueprintForm, children=self.blueprint_panels
        ).bind_to_model(self.model)

    blueprint_panels = [
        FieldPanel("bank"),
        FieldPanel("name"),
        SectionsPanel(
            "sections",
            label=_("Sections"),
            panels=[
                FieldPanel("title"),
                FieldRowPanel([FieldPanel("count"), FieldPanel("points")]),
                FieldRowPanel([FieldPanel("kind"), FieldPanel("tag")]),
                FieldRowPanel([FieldPanel("difficulty_min"), FieldPanel("difficulty_max")]),
                FieldPanel("fixed_questions"),
            ],
        ),
    ]

    def scope(self, user):
        return selectors.blueprints_manageable_by(user)

    def save(self, request, instance, is_new):
        if (
            instance.bank_id
            and not selectors.banks_manageable_by(request.user).filter(pk=instance.bank_id).exists()
        ):
            from django.core.exceptions import ValidationError

            raise ValidationError(_("Choose one of your own question banks."))
        return services.blueprint_save(blueprint=instance, actor=request.user)


class ExamViewSet(ExamAdminViewSet):
    model = Exam
    icon = "tasks"
    menu_label = _("Exams")
    list_display = [
        "title",
        "kind",
        "opens_at",
        "closes_at",
        "organisation",
        LinkColumn("report", _("Report"), "assessments_admin:exam_report", _("Report")),
    ]
    list_filter = ["kind"]
    search_fields = ["title"]
    delete_view_enabled = False
    form_fields = [
        "organisation",
        "title",
        "kind",
        "blueprint",
        "course",
        "instructions",
        "opens_at",
        "closes_at",
        "time_limit_minutes",
        "attempts_allowed",
        "pass_mark",
        "grading_method",
        "review_policy",
        "shuffle_questions",
        "shuffle_options",
        "audience_roles",
        "audience_positions",
        "audience_curriculum",
        "validity_months",
    ]
    integrity_fields = [
        "integrity_watch",
        "integrity_leave_limit",
        "integrity_full_screen",
        "integrity_allowed_networks",
        "integrity_idle_minutes",
    ]

    def get_edit_handler(self):
        from wagtail.admin.panels import ObjectList

        return ObjectList(
            base_form_class=forms.ExamForm,
            children=[
                *[FieldPanel(f) for f in self.form_fields],
                MultiFieldPanel(
                    [FieldPanel(f) for f in self.integrity_fields], heading=_("Exam integrity")
                ),
            ],
        ).bind_to_model(self.model)

    def scope(self, user):
        return selectors.exams_manageable_by(user)

    def save(self, request, instance, is_new):
        from django.db import transaction

        exam = services.exam_save(exam=instance, actor=request.user)
        # The audience's positions are saved with the form after this: sync once committed.
        transaction.on_commit(lambda: services.exam_sync_audience(exam=exam, actor=request.user))
        return exam


class CandidateViewSet(ExamAdminViewSet):
    model = ExamCandidate
    icon = "user"
    menu_label = _("Candidates and overrides")
    list_display = ["user", "exam", "source", "extra_minutes", "extra_attempts"]
    list_filter = ["source"]
    search_fields = ["user__full_name", "user__email", "exam__title"]
    form_fields = ["exam", "user", "extra_minutes", "extra_attempts"]

    def get_edit_handler(self):
        from wagtail.admin.panels import ObjectList

        return ObjectList(
            base_form_class=forms.CandidateForm, children=[FieldPanel(f) for f in self.form_fields]
        ).bind_to_model(self.model)

    def scope(self, user):
        return ExamCandidate.objects.filter(exam__in=selectors.exams_manageable_by(user))

    def save(self, request, instance, is_new):
        return services.exam_set_override(
            exam=instance.exam,
            user=instance.user,
            extra_minutes=instance.extra_minutes,
            extra_attempts=instance.extra_attempts,
            actor=request.user,
        )


class AnnualTemplateViewSet(ExamAdminViewSet):
    model = AnnualExamTemplate
    icon = "date"
    menu_label = _("Annual exam templates")
    list_display = ["title", "organisation", "opens_month", "opens_day", "is_active"]
    delete_view_enabled = False
    form_fields = [
        "organisation",
        "title",
        "blueprint",
        "opens_month",
        "opens_day",
        "window_days",
        "time_limit_minutes",
        "attempts_allowed",
        "pass_mark",
        "reminder_days_before_close",
        "is_active",
    ]

    def get_edit_handler(self):
        from wagtail.admin.panels import ObjectList

        return ObjectList(
            base_form_class=forms.AnnualTemplateForm,
            children=[FieldPanel(f) for f in self.form_fields],
        ).bind_to_model(self.model)

    def scope(self, user):
        return selectors.annual_templates_manageable_by(user)

    def save(self, request, instance, is_new):
        return services.annual_template_save(template=instance, actor=request.user)


class ExamsGroup(ViewSetGroup):
    menu_label = _("Exams")
    menu_icon = "tasks"
    menu_order = 310
    items = (
        QuestionBankViewSet("question_banks"),
        QuestionViewSet("questions"),
        BlueprintViewSet("blueprints"),
        ExamViewSet("exams"),
        CandidateViewSet("exam_candidates"),
        AnnualTemplateViewSet("annual_exam_templates"),
    )


@hooks.register("register_admin_viewset")
def register_exams_group():
    return ExamsGroup()


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("exam-engine/", include((admin_views.urlpatterns, "assessments_admin")))]


class GradingMenuItem(MenuItem):
    def is_shown(self, request):
        return bool(
            selectors.exams_manageable_by(request.user).exists()
            if request.user.has_perm("assessments.view_attempt")
            else False
        )


@hooks.register("register_admin_menu_item")
def register_grading_menu_item():
    return GradingMenuItem(
        _("Grading queue"), reverse("assessments_admin:grading_queue"), icon_name="edit", order=311
    )
