from django.apps import AppConfig
from django.db.models.signals import post_migrate, post_save
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy


class OrganisationsConfig(AppConfig):
    name = "lms.organisations"
    label = "organisations"
    verbose_name = _("Organisations")

    def ready(self):
        from lms.navigation import AdminTodo, register_admin_todo

        from . import receivers, selectors  # noqa: F401 (receivers: sign-in audit)
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


def _announce_new_organisation(sender, instance, created, raw=False, **kwargs):
    """Other apps learn of a new organisation through organisations' own signal."""
    if created and not raw:
        from .signals import organisation_created

        organisation_created.send(sender=type(instance), organisation=instance)
