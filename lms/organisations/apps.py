from django.apps import AppConfig
from django.db.models.signals import post_migrate, post_save
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy, pgettext_lazy


class OrganisationsConfig(AppConfig):
    name = "lms.organisations"
    label = "organisations"
    verbose_name = _("Organisations")

    def ready(self):
        from lms.navigation import AdminTodo, NavItem, register_admin_todo, register_nav_item

        from . import receivers, selectors, views  # noqa: F401 (receivers: sign-in audit)
        from .services import roles_sync_permissions

        post_migrate.connect(roles_sync_permissions, dispatch_uid="organisations_role_permissions")
        post_save.connect(
            _announce_new_organisation,
            sender="organisations.Organisation",
            dispatch_uid="organisations_announce_new",
        )
        register_admin_todo(
            AdminTodo(
                key="appointments_to_decide",
                label=ngettext_lazy(
                    "%(count)d appointment request to decide",
                    "%(count)d appointment requests to decide",
                    "count",
                ),
                url_name="appointments:index",
                count=selectors.appointments_to_decide_count,
                order=10,
            )
        )
        register_nav_item(
            NavItem(
                key="compliance_coverage",
                label=_("Compliance staffing"),
                url_name="organisations:coverage",
                order=94,
                visible=views.may_read_coverage,
            )
        )
        register_nav_item(
            NavItem(
                key="group_rollup",
                label=pgettext_lazy("navigation", "Group"),
                url_name="organisations:group",
                order=95,
                visible=views.may_read_group,
            )
        )


def _announce_new_organisation(sender, instance, created, raw=False, **kwargs):
    """Other apps learn of a new organisation through organisations' own signal."""
    if created and not raw:
        from .signals import organisation_created

        organisation_created.send(sender=type(instance), organisation=instance)
