from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommitmentsConfig(AppConfig):
    name = "lms.commitments"
    label = "commitments"
    verbose_name = _("Commitment letters")

    def ready(self):
        from lms.navigation import (
            GroupPanel,
            HomePanel,
            NavItem,
            register_group_panel,
            register_home_panel,
            register_nav_item,
        )
        from lms.organisations.access import is_enterprise_member
        from lms.organisations.signals import roster_changed

        from . import notices, receivers, selectors, views

        notices.register()
        roster_changed.connect(receivers.on_roster_changed, dispatch_uid="commitments_roster")
        register_nav_item(
            NavItem(
                key="my_commitments",
                label=_("My commitment letters"),
                url_name="commitments:mine",
                order=16,
                visible=is_enterprise_member,
                badge=selectors.pending_count_of,
            )
        )
        register_home_panel(
            HomePanel(
                key="commitments_to_sign",
                template="commitments/includes/home_panel.html",
                context=views.home_panel_context,
                order=8,
            )
        )
        register_group_panel(
            GroupPanel(
                key="commitments",
                title=_("Commitment letters"),
                template="commitments/includes/group_panel.html",
                context=views.group_panel_context,
                order=30,
            )
        )
