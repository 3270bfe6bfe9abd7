from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy, pgettext_lazy


class LearningConfig(AppConfig):
    name = "lms.learning"
    label = "learning"
    verbose_name = _("Learning")

    def ready(self):
        from content import extensions
        from lms.navigation import (
            AdminTodo,
            GroupPanel,
            HomePanel,
            NavItem,
            register_admin_todo,
            register_group_panel,
            register_home_panel,
            register_nav_item,
        )
        from lms.organisations.access import is_enterprise_member
        from lms.organisations.signals import roster_changed, roster_import_finished

        from . import notices, page_context, receivers, selectors

        notices.register()

        roster_changed.connect(receivers.on_roster_changed, dispatch_uid="learning_roster_changed")
        roster_import_finished.connect(
            receivers.on_roster_import_finished, dispatch_uid="learning_roster_import_notice"
        )
        register_admin_todo(
            AdminTodo(
                key="overdue_courses",
                label=ngettext_lazy(
                    "%(count)d mandatory course overdue on your roster",
                    "%(count)d mandatory courses overdue on your roster",
                    "count",
                ),
                url_name="learning:dashboard",
                count=selectors.overdue_count_for_admin,
                order=20,
                urgent=True,
            )
        )
        extensions.register_course_context(page_context.course_context)
        extensions.register_lesson_context(page_context.lesson_context)
        register_nav_item(
            NavItem(
                key="my_learning",
                label=_("My learning"),
                url_name="learning:my_learning",
                order=10,
                visible=is_enterprise_member,
            )
        )
        register_nav_item(
            NavItem(
                key="learning_dashboard",
                label=pgettext_lazy("navigation", "Dashboard"),
                url_name="learning:dashboard",
                order=90,
                visible=page_context.sees_dashboard,
            )
        )
        register_home_panel(
            HomePanel(
                key="my_mandatory_courses",
                template="learning/panels/my_courses.html",
                context=page_context.home_panel,
                order=10,
            )
        )
        register_group_panel(
            GroupPanel(
                key="training_completion",
                title=_("Training completion by department"),
                template="learning/panels/group_completion.html",
                context=page_context.group_panel,
                order=10,
            )
        )
