from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy


class AssessmentsConfig(AppConfig):
    name = "assessments"
    label = "assessments"
    verbose_name = _("Assessments")

    def ready(self):
        from content.extensions import register_knowledge_check_renderer
        from lms.navigation import (
            AdminTodo,
            HomePanel,
            NavItem,
            register_admin_todo,
            register_home_panel,
            register_nav_item,
        )
        from lms.organisations.access import is_enterprise_member
        from lms.organisations.gates import register_appointment_gate
        from lms.organisations.signals import appointment_requested, roster_changed

        from . import integrations, notices, selectors, signals, views

        notices.register()
        register_appointment_gate(integrations.pre_appointment_gate)
        register_admin_todo(
            AdminTodo(
                key="answers_to_grade",
                label=ngettext_lazy(
                    "%(count)d short answer to grade",
                    "%(count)d short answers to grade",
                    "count",
                ),
                url_name="assessments_admin:grading_queue",
                count=selectors.grading_queue_count,
                order=30,
            )
        )
        appointment_requested.connect(
            integrations.on_appointment_requested, dispatch_uid="assessments_appointment_exam"
        )
        roster_changed.connect(
            integrations.on_roster_changed, dispatch_uid="assessments_exam_audiences"
        )
        signals.attempt_finalised.connect(
            integrations.on_attempt_finalised, dispatch_uid="assessments_course_quiz_completion"
        )
        integrations.register_course_requirement()
        register_knowledge_check_renderer(integrations.render_knowledge_check)
        register_nav_item(
            NavItem(
                key="my_exams",
                label=_("My exams"),
                url_name="assessments:my_exams",
                order=30,
                visible=is_enterprise_member,
            )
        )
        register_home_panel(
            HomePanel(
                key="my_exams",
                template="assessments/includes/home_panel.html",
                context=views.home_panel_context,
                order=30,
            )
        )
