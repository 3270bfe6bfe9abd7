"""The People menu's organisations, jurisdictions, departments, positions and staff: scoped
to what the user may see, changed through the organisations services."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from wagtail.admin import messages as admin_messages
from wagtail.admin.panels import FieldPanel

from lms.admin_scoping import (
    FormServiceError,
    ScopedCreateView,
    ScopedDeleteView,
    ScopedEditView,
    ScopedIndexView,
    ScopedModelViewSet,
)

from .. import selectors, services
from ..access import access_for, membership_state, position_change_refusal, staff_change_refusal
from ..models import Department, Jurisdiction, Organisation, Position, Staff
from .appointments import PointsToAppointmentsMixin, appointments_button
from .forms import DepartmentForm, JurisdictionForm, PositionForm, StaffCreateForm, StaffForm


def field_panels(*field_names):
    """One panel per field, in order: the layout of a form whose class the viewset names."""
    return [FieldPanel(name) for name in field_names]


class OrganisationViewSet(ScopedModelViewSet):
    model = Organisation
    icon = "site"
    menu_label = _("Organisations")
    list_display = ["name", "credit_code", "kind", "sector", "region_code", "risk_grade"]
    list_filter = ["kind", "sector", "risk_grade"]
    search_fields = ["name", "short_name", "credit_code"]
    inspect_view_enabled = True
    form_fields = [
        "name",
        "short_name",
        "credit_code",
        "kind",
        "sector",
        "regulator_type",
        "region_code",
        "parent",
        "is_key_subsidiary",
        "risk_grade",
        "is_active",
    ]

    def scope(self, user):
        return selectors.organisations_visible_to(user)

    def manage_scope(self, user):
        return selectors.organisations_manageable_by(user)

    def save(self, request, instance, is_new):
        return services.organisation_save(organisation=instance, actor=request.user)


class JurisdictionViewSet(ScopedModelViewSet):
    model = Jurisdiction
    icon = "globe"
    menu_label = _("Jurisdictions")
    list_display = ["regulator", "region_prefixes"]
    inspect_view_enabled = True
    form_fields = ["regulator", "region_prefixes", "sectors", "enterprises"]
    save_takes_form = True

    def get_form_class(self, for_update=False):
        return JurisdictionForm

    def save(self, request, instance, is_new, form=None):
        return services.jurisdiction_save(
            jurisdiction=instance,
            enterprises=form.cleaned_data.get("enterprises") if form else None,
            actor=request.user,
        )

    def scope(self, user):
        return selectors.jurisdictions_visible_to(user)

    def manage_scope(self, user):
        return (
            selectors.jurisdictions_visible_to(user)
            if access_for(user).is_platform_admin
            else (Jurisdiction.objects.none())
        )


class DepartmentViewSet(ScopedModelViewSet):
    model = Department
    icon = "group"
    menu_label = _("Departments")
    list_display = ["name", "parent", "organisation"]
    search_fields = ["name"]
    panels = field_panels("organisation", "name", "parent", "is_business_department")

    def get_form_class(self, for_update=False):
        return DepartmentForm

    def scope(self, user):
        return selectors.departments_manageable_by(user)

    def save(self, request, instance, is_new):
        return services.department_save(department=instance, actor=request.user)


class PositionCreateView(PointsToAppointmentsMixin, ScopedCreateView):
    pass


class PositionEditView(PointsToAppointmentsMixin, ScopedEditView):
    pass


class PositionDeleteView(ScopedDeleteView):
    """A position whose role ranks at or above the user is not theirs to delete."""

    def dispatch(self, request, *args, **kwargs):
        refusal = position_change_refusal(
            request.user,
            position=self.object,
            role_before=self.object.compliance_role,
            held=False,
        )
        if refusal:
            messages.error(request, refusal.message)
            return redirect(self.index_url_name)
        return super().dispatch(request, *args, **kwargs)


class PositionViewSet(ScopedModelViewSet):
    model = Position
    add_view_class = PositionCreateView
    edit_view_class = PositionEditView
    delete_view_class = PositionDeleteView
    icon = "tag"
    menu_label = _("Positions")
    list_display = [
        "name",
        "compliance_role",
        "is_key",
        "is_high_risk",
        "is_management",
        "needs_pre_appointment_exam",
        "organisation",
    ]
    list_filter = ["compliance_role", "is_key", "is_high_risk", "needs_pre_appointment_exam"]
    search_fields = ["name"]
    panels = field_panels(*PositionForm.Meta.fields)

    def get_form_class(self, for_update=False):
        return PositionForm

    def scope(self, user):
        return selectors.positions_manageable_by(user)

    def manage_scope(self, user):
        return selectors.positions_definable_by(user)

    def save(self, request, instance, is_new):
        return services.position_save(position=instance, actor=request.user)


class StaffIndexView(ScopedIndexView):
    """Each row links to the edit form only if the user may change that person (rank)."""

    def get_base_queryset(self):
        changeable = selectors.staff_changeable_by(self.request.user).filter(pk=OuterRef("pk"))
        return super().get_base_queryset().annotate(changeable=Exists(changeable))

    def get_edit_url(self, instance):
        if not getattr(instance, "changeable", False):
            return None
        return super().get_edit_url(instance)


class StaffEditView(PointsToAppointmentsMixin, ScopedEditView):
    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)  # a TemplateResponse, rendered later
        # Say at once when this record is not the user's to change, and why.
        refusal = staff_change_refusal(
            request.user, staff=self.object, before=membership_state(self.object)
        )
        if refusal:
            admin_messages.warning(request, refusal.message, buttons=[appointments_button()])
        return response


class StaffCreateView(PointsToAppointmentsMixin, ScopedCreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        try:
            return services.person_create(
                organisation=data["organisation"],
                full_name=data["full_name"],
                email=data["email"],
                phone=data.get("phone", ""),
                employee_number=data["employee_number"],
                department=data.get("department"),
                position=data.get("position"),
                hire_date=data.get("hire_date"),
                actor=self.request.user,
            )
        except ValidationError as exc:
            raise FormServiceError(exc) from exc


class StaffViewSet(ScopedModelViewSet):
    model = Staff
    icon = "user"
    menu_label = _("Staff")
    index_view_class = StaffIndexView
    add_view_class = StaffCreateView
    edit_view_class = StaffEditView
    list_display = ["user", "employee_number", "department", "position", "status", "organisation"]
    list_filter = ["status"]
    search_fields = ["employee_number", "user__full_name", "user__email"]
    inspect_view_enabled = True
    panels = field_panels(
        "full_name",
        "email",
        "phone",
        "organisation",
        "department",
        "position",
        "employee_number",
        "hire_date",
        "status",
    )

    def get_form_class(self, for_update=False):
        return StaffForm if for_update else StaffCreateForm

    def scope(self, user):
        return selectors.staff_visible_to(user)

    def manage_scope(self, user):
        return selectors.staff_manageable_by(user)

    def save(self, request, instance, is_new):
        return services.staff_save(staff=instance, actor=request.user)
