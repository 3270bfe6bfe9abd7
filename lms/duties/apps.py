from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DutiesConfig(AppConfig):
    name = "lms.duties"
    label = "duties"
    verbose_name = _("Duty log")

    def ready(self):
        from django.utils.translation import ngettext_lazy

        from lms.navigation import AdminTodo, NavItem, register_admin_todo, register_nav_item

        from . import selectors

        register_nav_item(
            NavItem(
                key="duty_log",
                label=_("Duty log"),
                url_name="duties:entries",
                order=93,
                visible=selectors.may_keep_duty_log,
            )
        )
        register_nav_item(
            NavItem(
                key="duty_summary",
                label=_("Duty log summary"),
                url_name="duties:summary",
                order=93,
                visible=selectors.reads_summary_only,
            )
        )
        register_admin_todo(
            AdminTodo(
                key="duty_log_empty_months",
                label=ngettext_lazy(
                    "%(count)d part-time administrator recorded no duty last month",
                    "%(count)d part-time administrators recorded no duty last month",
                    "count",
                ),
                url_name="duties:summary",
                count=selectors.silent_part_time_admins_count,
                order=60,
            )
        )
