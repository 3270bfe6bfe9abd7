"""The People menu of the Wagtail admin: every view limited to what the user may see and change.

Visibility comes from the selectors (scopes); which views a role may use at all comes from the
permission policies (model permissions per role, see roles.py). Every change goes through a
service, which validates, saves and writes the audit log. The viewsets and their forms are in
`admin/` (people, appointments, roster, forms); this module registers them.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.permissions import register_permission_policy

from lms.admin_scoping import PlatformAdminWritePolicy

from .admin.appointments import AppointmentViewSet
from .admin.people import (
    DepartmentViewSet,
    JurisdictionViewSet,
    OrganisationViewSet,
    PositionViewSet,
    StaffViewSet,
)
from .admin.roster import URL_NAMESPACE as ROSTER_NAMESPACE
from .admin.roster import RosterViewSet
from .models import Jurisdiction, Organisation

# Organisations and jurisdictions are the platform's reference data: others only look.
register_permission_policy(Organisation, PlatformAdminWritePolicy(Organisation))
register_permission_policy(Jurisdiction, PlatformAdminWritePolicy(Jurisdiction))


class PeopleGroup(ViewSetGroup):
    menu_label = _("People")
    menu_icon = "group"
    menu_order = 200
    items = (
        StaffViewSet("staff"),
        DepartmentViewSet("departments"),
        PositionViewSet("positions"),
        AppointmentViewSet("appointments"),
        OrganisationViewSet("orgs"),
        JurisdictionViewSet("jurisdictions"),
    )


@hooks.register("register_admin_viewset")
def register_people():
    return PeopleGroup()


from . import audit_admin  # noqa: E402, F401  (the audit log registers itself after People)


@hooks.register("register_admin_viewset")
def register_roster():
    return RosterViewSet(ROSTER_NAMESPACE)


@hooks.register("construct_homepage_panels")
def add_admin_todos(request, panels):
    from lms.admin_home import AdminTodoPanel

    panels.insert(0, AdminTodoPanel(request))
