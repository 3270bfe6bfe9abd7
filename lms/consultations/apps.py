from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "lms.consultations"
    label = "consultations"
    verbose_name = _("Consultations and reports")

    def ready(self):
        from django.utils.translation import ngettext_lazy

        from content import extensions
        from lms.audit.services import register_confidential_object_type
        from lms.navigation import AdminTodo, NavItem, register_admin_todo, register_nav_item

        from . import notices, selectors, views

        notices.register()
        register_confidential_object_type("consultations.report")
        register_nav_item(
            NavItem(
                key="consultations",
                label=_("Ask compliance"),
                url_name="consultations:home",
                order=85,
                visible=selectors.may_consult,
                badge=lambda user: (
                    selectors.open_questions_count(user) + selectors.new_reports_count(user)
                ),
            )
        )
        extensions.register_lesson_aside(views.lesson_aside)
        extensions.register_course_aside(views.course_aside)
        register_admin_todo(
            AdminTodo(
                key="consultations_open",
                label=ngettext_lazy(
                    "%(count)d compliance question waits for an answer",
                    "%(count)d compliance questions wait for an answer",
                    "count",
                ),
                url_name="consultations:home",
                count=selectors.open_questions_count,
                order=55,
            )
        )
        register_admin_todo(
            AdminTodo(
                key="reports_new",
                label=ngettext_lazy(
                    "%(count)d report of a violation to deal with",
                    "%(count)d reports of violations to deal with",
                    "count",
                ),
                url_name="consultations:reports",
                count=selectors.new_reports_count,
                order=54,
                urgent=True,
            )
        )
