"""The audit log in the Wagtail admin: read-only, scoped to the reader's organisation.

The audit app is the lowest of all (every app writes to it); reading it is scoped by who the
reader is in which organisation, so the reader lives here, above it."""

import django_filters
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column

from lms.admin_scoping import ReadOnlyScopedModelViewSet
from lms.audit.models import AuditEntry

from .selectors import audit_entries_visible_to


class AuditEntryFilterSet(WagtailFilterSet):
    action = django_filters.ChoiceFilter(label=_("action"), choices=[])
    at = django_filters.DateFromToRangeFilter(label=_("date"), widget=DateRangePickerWidget)

    class Meta:
        model = AuditEntry
        fields = ["action", "at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Offer only the actions found in the entries the reader may see.
        visible = audit_entries_visible_to(self.request.user) if self.request else self.queryset
        actions = visible.order_by("action").values_list("action", flat=True).distinct()
        self.filters["action"].extra["choices"] = [(action, action) for action in actions]


class AuditEntryViewSet(ReadOnlyScopedModelViewSet):
    model = AuditEntry
    icon = "history"
    menu_label = _("Audit log")
    menu_order = 900
    add_to_admin_menu = True
    list_display = [
        "at",
        Column("actor_label", label=_("actor")),
        "action",
        "object_repr",
        "organisation",
        "ip_address",
    ]
    filterset_class = AuditEntryFilterSet
    search_fields = ["actor_label", "object_repr", "action"]
    list_per_page = 50
    inspect_view_fields = [
        "at",
        "actor_label",
        "action",
        "organisation",
        "object_type",
        "object_id",
        "object_repr",
        "ip_address",
        "data",
    ]

    def scope(self, user):
        return audit_entries_visible_to(user)


@hooks.register("register_admin_viewset")
def register_audit_log():
    return AuditEntryViewSet("audit")
