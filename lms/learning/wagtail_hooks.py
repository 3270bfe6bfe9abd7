"""Admin wiring for learning: re-assign after curriculum edits, refuse deleting taken courses,
and the training plan and enrolment views, scoped to the user's organisations."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, InlinePanel, ObjectList

from content.models import Curriculum
from lms.admin_scoping import ReadOnlyScopedModelViewSet, ScopedForm, ScopedModelViewSet
from lms.organisations.selectors import roster_organisations_for
from lms.resilience import outbox

from . import selectors, services
from .models import Enrolment, TrainingPlan
from .tasks import assignment_run_for_curriculum


@hooks.register("after_create_snippet")
@hooks.register("after_edit_snippet")
def assign_after_curriculum_saved(request, instance):
    if isinstance(instance, Curriculum) and instance.is_active:
        outbox.enqueue(assignment_run_for_curriculum, instance.pk)


@hooks.register("before_delete_page")
def refuse_deleting_taken_courses(request, page):
    page_ids = list(page.get_descendants(inclusive=True).values_list("pk", flat=True))
    refusal = services.course_deletion_refusal(page_ids=page_ids)
    if refusal:
        messages.error(request, refusal)
        return redirect("wagtailadmin_pages:edit", page.pk)
    return None


class TrainingPlanForm(ScopedForm):
    scoped_fields = {"organisation": roster_organisations_for}


class TrainingPlanViewSet(ScopedModelViewSet):
    model = TrainingPlan
    icon = "date"
    menu_label = _("Training plans")
    menu_order = 220
    add_to_admin_menu = True
    list_display = ["title", "year", "organisation"]
    list_filter = ["year"]
    form_fields = ["organisation", "year", "title", "notes"]

    def get_edit_handler(self):
        return ObjectList(
            [
                FieldPanel("organisation"),
                FieldPanel("year"),
                FieldPanel("title"),
                FieldPanel("notes"),
                InlinePanel("items", label=_("Curricula and target dates")),
            ],
            base_form_class=TrainingPlanForm,
        ).bind_to_model(self.model)

    def scope(self, user):
        return selectors.training_plans_manageable_by(user)

    def save(self, request, instance, is_new):
        return services.training_plan_save(plan=instance, actor=request.user)


class EnrolmentViewSet(ReadOnlyScopedModelViewSet):
    model = Enrolment
    icon = "user"
    menu_label = _("Enrolments")
    menu_order = 230
    add_to_admin_menu = True
    list_display = ["user", "course", "cycle", "status", "due_on", "completed_at"]
    list_filter = ["status", "source", "cycle"]
    search_fields = ["user__full_name", "user__email", "staff__employee_number"]
    form_fields = ["status"]

    def scope(self, user):
        return selectors.enrolments_manageable_by(user)


@hooks.register("register_admin_viewset")
def register_viewsets():
    return [TrainingPlanViewSet("training_plans"), EnrolmentViewSet("enrolments")]
