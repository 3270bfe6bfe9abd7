from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DispatchConfig(AppConfig):
    name = "lms.dispatch"
    label = "dispatch"
    verbose_name = _("Compliance dispatch")

    def ready(self):
        from lms.navigation import GroupPanel, NavItem, register_group_panel, register_nav_item

        from . import notices, selectors, views

        notices.register()
        register_nav_item(
            NavItem(
                key="dispatch",
                label=_("Compliance dispatch"),
                url_name="dispatch:quarters",
                order=94,
                visible=selectors.may_read_dispatch,
            )
        )
        register_group_panel(
            GroupPanel(
                key="dispatch",
                title=_("Compliance dispatch"),
                template="dispatch/includes/group_panel.html",
                context=views.group_panel_context,
                order=40,
            )
        )
