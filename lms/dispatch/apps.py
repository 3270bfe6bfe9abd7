from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DispatchConfig(AppConfig):
    name = "lms.dispatch"
    label = "dispatch"
    verbose_name = _("Compliance dispatch")

    def ready(self):
        from lms.navigation import NavItem, register_nav_item

        from . import notices, selectors

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
