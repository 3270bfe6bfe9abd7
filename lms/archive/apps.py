from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArchiveConfig(AppConfig):
    name = "lms.archive"
    label = "archive"
    verbose_name = _("Compliance file")

    def ready(self):
        from lms.navigation import NavItem, register_nav_item
        from lms.organisations.access import is_enterprise_member

        from . import dispatch_section, sections, selectors

        sections.register(
            "dispatch", dispatch_section.dispatch_minutes, label=_("Compliance dispatch")
        )

        register_nav_item(
            NavItem(
                key="my_compliance_file",
                label=_("My compliance file"),
                url_name="archive:mine",
                order=17,
                visible=is_enterprise_member,
            )
        )
        register_nav_item(
            NavItem(
                key="inspection_archives",
                label=_("Inspection archives"),
                url_name="archive:inspections",
                order=94,
                visible=selectors.may_build_archives,
            )
        )
