"""The audit log in the Wagtail admin: read-only, scoped to the reader's organisation.

The audit app is the lowest of all (every app writes to it); reading it is scoped by who the
reader is in which organisation, so the reader lives here, above it."""

import django_filters
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column

from lms import display
from lms.admin_scoping import ReadOnlyScopedModelViewSet, ScopedInspectView
from lms.audit import vocabulary
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
        self.filters["action"].extra["choices"] = [
            (action, vocabulary.action_label(action)) for action in actions
        ]


# --- an entry's details in words: fields by their names, ids by the objects' names ------------


def _field_of(model, name: str):
    if model is None:
        return None
    for candidate in (name, name.removesuffix("_id")):
        try:
            return model._meta.get_field(candidate)
        except FieldDoesNotExist:
            continue
    return None


def _value_text(field, raw, *, by_id: bool = False) -> str:
    """A stored value in words. A related object is written by name since the entries record
    before and after (lms.audit.services.model_state); older entries and keys named `…_id` hold
    ids, read here as the object's name."""
    if raw in (None, "", "None"):
        return display.EMPTY
    if isinstance(raw, bool):
        return display.yes_no(raw)
    if isinstance(raw, list):
        return "、".join(_value_text(field, item, by_id=by_id) for item in raw) or display.EMPTY
    if isinstance(raw, dict):
        return "; ".join(
            _line(vocabulary.detail_label(k), _value_text(None, v)) for k, v in raw.items()
        )
    related = getattr(field, "related_model", None) if field is not None else None
    if related is not None and (by_id or isinstance(raw, int)):
        try:
            obj = related._default_manager.filter(pk=raw).first()
        except (ValueError, TypeError, ValidationError):
            obj = None
        return str(obj) if obj is not None else str(raw)
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(raw, raw))
    return str(raw)


def _line(label, value) -> str:
    return gettext("%(label)s: %(value)s") % {"label": label, "value": value}


def _label(field, key: str) -> str:
    return (
        str(capfirst(field.verbose_name))
        if field is not None
        else capfirst(vocabulary.detail_label(key))
    )


def details_lines(entry: AuditEntry) -> list[str]:
    """The entry's details, one line each: 岗位：专员 → 经理 rather than position_id ['5', '2']."""
    model = entry.object_model()
    lines = []
    for key, value in (entry.data or {}).items():
        if key == "changes" and isinstance(value, dict):
            for name, pair in value.items():
                field = _field_of(model, name)
                by_id = name.endswith("_id")
                old, new = (
                    (list(pair) + [None, None])[:2] if isinstance(pair, list) else (None, pair)
                )
                lines.append(
                    _line(
                        _label(field, name),
                        f"{_value_text(field, old, by_id=by_id)} → "
                        f"{_value_text(field, new, by_id=by_id)}",
                    )
                )
            continue
        field = _field_of(model, key)
        lines.append(_line(_label(field, key), _value_text(field, value)))
    return lines


class AuditEntryInspectView(ScopedInspectView):
    def get_data_display_value(self):
        lines = details_lines(self.object)
        if not lines:
            return display.EMPTY
        return format_html(
            "<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((line,) for line in lines))
        )


class AuditEntryViewSet(ReadOnlyScopedModelViewSet):
    model = AuditEntry
    icon = "history"
    menu_label = _("Audit log")
    menu_order = 900
    add_to_admin_menu = True
    list_display = [
        "at",
        Column("get_actor_label_display", label=_("actor")),
        "action",
        "object_repr",
        "organisation",
        "ip_address",
    ]
    inspect_view_class = AuditEntryInspectView
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
