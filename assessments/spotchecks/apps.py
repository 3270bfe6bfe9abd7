from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy


class SpotchecksConfig(AppConfig):
    name = "assessments.spotchecks"
    label = "spotchecks"
    verbose_name = _("Spot checks")

    def ready(self):
        from assessments.signals import attempt_finalised
        from lms.navigation import (
            AdminTodo,
            HomePanel,
            NavItem,
            register_admin_todo,
            register_home_panel,
            register_nav_item,
        )

        from . import notices, receivers, selectors, views

        notices.register()
        attempt_finalised.connect(
            receivers.on_attempt_finalised, dispatch_uid="spotchecks_attempt_finalised"
        )
        register_nav_item(
            NavItem(
                key="spotchecks_regulator",
                label=_("Spot checks"),
                url_name="spotchecks:campaign_list",
                order=40,
                visible=selectors.is_regulator_staff,
            )
        )
        register_nav_item(
            NavItem(
                key="spotchecks_dashboard",
                label=_("Spot-check dashboard"),
                url_name="spotchecks:dashboard",
                order=41,
                visible=selectors.is_regulator_staff,
            )
        )
        register_nav_item(
            NavItem(
                key="spotchecks_enterprise",
                label=_("Regulator spot checks"),
                url_name="spotchecks:enterprise_list",
                order=45,
                visible=selectors.is_enterprise_head,
            )
        )
        register_admin_todo(
            AdminTodo(
                key="rectification_reports_to_decide",
                label=ngettext_lazy(
                    "%(count)d rectification report to decide",
                    "%(count)d rectification reports to decide",
                    "count",
                ),
                url_name="spotchecks:dashboard",
                count=selectors.rectification_reports_to_decide_count,
                order=40,
            )
        )
        register_admin_todo(
            AdminTodo(
                key="rectifications_owed",
                label=ngettext_lazy(
                    "%(count)d spot-check rectification owed by your organisation",
                    "%(count)d spot-check rectifications owed by your organisation",
                    "count",
                ),
                url_name="spotchecks:enterprise_list",
                count=selectors.rectifications_owed_count,
                order=41,
                urgent=True,
            )
        )
        register_home_panel(
            HomePanel(
                key="spotchecks_regulator",
                template="spotchecks/includes/home_regulator.html",
                context=views.regulator_home_panel,
                order=15,
            )
        )
        register_home_panel(
            HomePanel(
                key="spotchecks_enterprise",
                template="spotchecks/includes/home_enterprise.html",
                context=views.enterprise_home_panel,
                order=15,
            )
        )
        register_nav_item(
            NavItem(
                key="spotchecks_mine",
                label=_("My spot checks"),
                url_name="spotchecks:my_spot_checks",
                order=46,
                visible=receivers.is_drawn,
            )
        )
