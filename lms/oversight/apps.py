from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OversightConfig(AppConfig):
    name = "lms.oversight"
    label = "oversight"
    verbose_name = _("Regulator oversight")

    def ready(self):
        from lms.navigation import NavItem, register_nav_item

        from . import notices, selectors

        notices.register()
        from . import dispatch_hook, dispatch_wiring

        dispatch_hook.register(dispatch_wiring.quarters_held)
        register_nav_item(
            NavItem(
                key="oversight",
                label=_("Oversight"),
                url_name="oversight:index",
                order=94,
                visible=selectors.is_overseer,
            )
        )
        register_nav_item(
            NavItem(
                key="self_inspection",
                label=_("Self-inspection report"),
                url_name="oversight:self_inspection",
                order=95,
                visible=lambda user: selectors.self_inspection_organisations_for(user).exists(),
            )
        )
