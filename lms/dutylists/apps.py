from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DutyListsConfig(AppConfig):
    name = "lms.dutylists"
    label = "dutylists"
    verbose_name = _("Key-position duty lists")

    def ready(self):
        from lms.navigation import NavItem, register_nav_item
        from lms.organisations.signals import roster_changed

        from . import notices, receivers, selectors

        notices.register()
        roster_changed.connect(receivers.on_roster_changed, dispatch_uid="dutylists_roster")
        register_nav_item(
            NavItem(
                key="my_duty_list",
                label=_("Duties of my post"),
                url_name="dutylists:mine",
                order=17,
                visible=selectors.holds_key_post_with_list,
                badge=selectors.pending_count_of,
            )
        )
        register_nav_item(
            NavItem(
                key="duty_list_coverage",
                label=_("Key-position duty lists"),
                url_name="dutylists:coverage",
                order=94,
                visible=selectors.may_keep_duty_lists,
            )
        )
