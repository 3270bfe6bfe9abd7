from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy


class OrganisationsConfig(AppConfig):
    name = "lms.organisations"
    label = "organisations"
    verbose_name = _("Organisations")

    def ready(self):
        from lms.navigation import AdminTodo, register_admin_todo

        from . import selectors
        from .services import roles_sync_permissions

        post_migrate.connect(roles_sync_permissions, dispatch_uid="organisations_role_permissions")
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
