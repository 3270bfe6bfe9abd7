"""The People menu of the Wagtail admin: every view limited to what the user may see and change.

Visibility comes from the selectors (scopes); which views a role may use at all comes from the
permission policies (model permissions per role, see roles.py). Every change goes through a
service, which validates, saves and writes the audit log.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views import View
from wagtail import hooks
from wagtail.admin import messages as admin_messages
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.widgets.button import HeaderButton
from wagtail.permissions import policy_registry, register_permission_policy

from lms.admin_scoping import (
    FormServiceError,
    PlatformAdminWritePolicy,
    ScopedCreateView,
    ScopedDeleteView,
    ScopedEditView,
    ScopedForm,
    ScopedIndexView,
    ScopedInspectView,
    ScopedModelViewSet,
)

from . import rank, selectors, services
from .access import (
    access_for,
    appointment_refusal,
    membership_state,
    position_change_refusal,
    staff_change_refusal,
)
from .models import Appointment, Department, Jurisdiction, Organisation, Position, Staff

# Organisations and jurisdictions are the platform's reference data: others only look.
register_permission_policy(Organisation, PlatformAdminWritePolicy(Organisation))
register_permission_policy(Jurisdiction, PlatformAdminWritePolicy(Jurisdiction))


def panels(*field_names):
    return ObjectList([FieldPanel(name) for name in field_names])


class FixedOrganisationForm(ScopedForm):
    """Scoped choices; an existing object's organisation cannot be changed."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("organisation")
        if field is None:
            return
        if self.instance.pk:
            field.disabled = True
            field.queryset = Organisation.objects.filter(pk=self.instance.organisation_id)
        elif len(choices := list(field.queryset[:2])) == 1:
            field.initial = choices[0].pk  # most administrators look after one organisation


# --- rank refusals point to the appointment process ------------------------------------------
RANK_CODES = frozenset(refusal.value for refusal in rank.Refusal)


def appointments_button():
    return admin_messages.button(reverse("appointments:index"), _("Go to Appointments"))


def has_rank_refusal(form) -> bool:
    errors = form.errors.as_data().get(NON_FIELD_ERRORS, [])
    return any(error.code in RANK_CODES for error in errors)


class PointsToAppointmentsMixin:
    """A change refused by the rank rule shows its reason with a button to the appointments."""

    def form_invalid(self, form):
        if self.produced_error_message and has_rank_refusal(form):
            admin_messages.validation_error(
                self.request, self.produced_error_message, form, buttons=[appointments_button()]
            )
            self.produced_error_message = None  # shown: Wagtail need not add its own
        return super().form_invalid(form)


# --- organisations and jurisdictions --------------------------------------------------------
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


class JurisdictionForm(ScopedForm):
    sectors = forms.MultipleChoiceField(
        label=_("sectors"),
        choices=Organisation.Sector.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Only enterprises of these sectors within the regions; empty means all."),
    )
    scoped_fields = {"regulator": lambda user: Organisation.objects.filter(kind="regulator")}

    class Meta:
        model = Jurisdiction
        fields = ["regulator", "region_prefixes", "sectors", "enterprises"]


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


# --- departments and positions --------------------------------------------------------------
class DepartmentForm(FixedOrganisationForm):
    scoped_fields = {
        "organisation": selectors.staff_organisations_for,
        "parent": selectors.departments_manageable_by,
    }

    class Meta:
        model = Department
        fields = ["organisation", "name", "parent", "is_business_department"]

    def clean(self):
        cleaned = super().clean()
        organisation, parent = cleaned.get("organisation"), cleaned.get("parent")
        access = access_for(self.for_user)
        part_time = organisation and not (
            access.is_platform_admin or organisation.pk in access.admin_org_ids
        )
        if part_time and parent is None:
            # A part-time administrator only extends their own department subtree.
            self.add_error(
                "parent", _("Choose the parent department: you manage only your own departments.")
            )
        if organisation and parent and parent.organisation_id != organisation.pk:
            self.add_error(
                "parent", _("The parent department must belong to the same organisation.")
            )
        return cleaned


class DepartmentViewSet(ScopedModelViewSet):
    model = Department
    icon = "group"
    menu_label = _("Departments")
    list_display = ["name", "parent", "organisation"]
    search_fields = ["name"]
    form_fields = ["organisation", "name", "parent", "is_business_department"]

    def get_form_class(self, for_update=False):
        return DepartmentForm

    def get_edit_handler(self):
        return panels(*self.form_fields).bind_to_model(self.model)

    def scope(self, user):
        return selectors.departments_manageable_by(user)

    def save(self, request, instance, is_new):
        return services.department_save(department=instance, actor=request.user)


class PositionForm(FixedOrganisationForm):
    scoped_fields = {"organisation": selectors.roster_organisations_for}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("compliance_role")
        if field is None or self.for_user is None:
            return
        # Offer the roles that rank below the user somewhere (the service checks the
        # organisation); an existing position keeps its own role on offer.
        access = access_for(self.for_user)
        top = max([access.rank_in(org) for org in access.admin_org_ids] or [0])
        offered = set(
            rank.roles_below(rank.PLATFORM_ADMIN_RANK if access.is_platform_admin else top)
        )
        offered.add(self.instance.compliance_role)
        field.choices = [(value, label) for value, label in field.choices if value in offered]

    class Meta:
        model = Position
        fields = [
            "organisation",
            "name",
            "compliance_role",
            "is_key",
            "is_high_risk",
            "is_management",
            "needs_pre_appointment_exam",
        ]


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
    form_fields = PositionForm.Meta.fields

    def get_form_class(self, for_update=False):
        return PositionForm

    def get_edit_handler(self):
        return panels(*self.form_fields).bind_to_model(self.model)

    def scope(self, user):
        return selectors.positions_manageable_by(user)

    def manage_scope(self, user):
        return selectors.positions_definable_by(user)

    def save(self, request, instance, is_new):
        return services.position_save(position=instance, actor=request.user)


# --- staff ----------------------------------------------------------------------------------
class StaffForm(FixedOrganisationForm):
    scoped_fields = {
        "organisation": selectors.staff_organisations_for,
        "department": selectors.departments_manageable_by,
        "position": selectors.positions_manageable_by,
    }

    class Meta:
        model = Staff
        fields = [
            "organisation",
            "department",
            "position",
            "employee_number",
            "hire_date",
            "status",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("position")
        if field is not None:
            field.label_from_instance = _position_label
            field.help_text = _(
                "Positions marked “by appointment” carry a compliance role or need a "
                "pre-appointment exam: they are given through People → Appointments."
            )

    def clean(self):
        cleaned = super().clean()
        organisation = cleaned.get("organisation")
        access = access_for(self.for_user)
        if (
            organisation
            and not access.is_platform_admin
            and organisation.pk not in access.admin_org_ids
            and not cleaned.get("department")
        ):
            self.add_error(
                "department", _("Choose a department: you manage only your own departments.")
            )
        return cleaned


def _position_label(position: Position) -> str:
    if rank.needs_appointment(
        role=position.compliance_role, needs_exam=position.needs_pre_appointment_exam
    ):
        return _("%(position)s (by appointment)") % {"position": position.name}
    return position.name


class StaffCreateForm(StaffForm):
    """A new person on the roster: their account and their membership in one step."""

    full_name = forms.CharField(label=pgettext_lazy("person", "name"), max_length=100)
    email = forms.EmailField(label=_("e-mail"))
    phone = forms.CharField(label=_("mobile phone"), max_length=20, required=False)

    class Meta(StaffForm.Meta):
        fields = ["organisation", "department", "position", "employee_number", "hire_date"]


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
    form_fields = [
        "full_name",
        "email",
        "phone",
        "organisation",
        "department",
        "position",
        "employee_number",
        "hire_date",
        "status",
    ]

    def get_form_class(self, for_update=False):
        return StaffForm if for_update else StaffCreateForm

    def get_edit_handler(self):
        return panels(*self.form_fields).bind_to_model(self.model)

    def scope(self, user):
        return selectors.staff_visible_to(user)

    def manage_scope(self, user):
        return selectors.staff_manageable_by(user)

    def save(self, request, instance, is_new):
        return services.staff_save(staff=instance, actor=request.user)


# --- appointments ---------------------------------------------------------------------------
class AppointmentRequestForm(ScopedForm):
    scoped_fields = {
        "staff": lambda user: selectors.staff_active(selectors.staff_changeable_by(user)),
        "position": selectors.positions_manageable_by,
    }

    class Meta:
        model = Appointment
        fields = ["staff", "position", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("staff")
        if field is not None:
            field.error_messages["invalid_choice"] = _(
                "Choose someone from the list: appointments are requested for people in your "
                "care who rank below you, never for yourself."
            )


class AppointmentCreateView(PointsToAppointmentsMixin, ScopedCreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        try:
            return services.appointment_request(
                staff=data["staff"],
                position=data["position"],
                note=data.get("note", ""),
                actor=self.request.user,
            )
        except ValidationError as exc:
            raise FormServiceError(exc) from exc


class AppointmentEditView(ScopedEditView):
    """Appointments are not edited: they are approved or refused."""

    decide_url_name = None

    def dispatch(self, request, *args, **kwargs):
        if not self.scoped().filter(pk=kwargs["pk"]).exists():
            raise Http404
        return redirect(self.decide_url_name, kwargs["pk"])


def _administers(user, appointment) -> bool:
    """Whether the user is a full administrator of the appointment's organisation."""
    access = access_for(user)
    return access.is_platform_admin or appointment.staff.organisation_id in access.admin_org_ids


class AppointmentInspectView(ScopedInspectView):
    decide_url_name = None

    def get(self, request, *args, **kwargs):
        # An administrator who may not decide it is told who does.
        if (
            self.object.status == Appointment.Status.REQUESTED
            and not self.decidable
            and _administers(request.user, self.object)
            and (
                refusal := appointment_refusal(request.user, appointment=self.object, deciding=True)
            )
        ):
            messages.info(request, refusal.message)
        return super().get(request, *args, **kwargs)

    @cached_property
    def decidable(self) -> bool:
        return (
            selectors.appointments_decidable_by(self.request.user)
            .filter(pk=self.object.pk)
            .exists()
        )

    @cached_property
    def header_buttons(self):
        buttons = []
        if self.object.status == Appointment.Status.REQUESTED and self.decidable:
            buttons.append(
                HeaderButton(
                    _("Approve or refuse"),
                    url=reverse(self.decide_url_name, args=[self.object.pk]),
                    icon_name="tasks",
                )
            )
        return buttons

    @cached_property
    def header_more_buttons(self):
        return []


class RefusalForm(forms.Form):
    refusal_reason = forms.CharField(
        label=_("Reason for refusing"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class AppointmentDecideView(View):
    """Approve (the gates may still refuse, with their reasons) or refuse with a reason."""

    template_name = "people_admin/appointment_decide.html"
    index_url_name = None
    inspect_url_name = None

    def dispatch(self, request, pk):
        policy = policy_registry.get_by_type(Appointment)
        if not policy.user_has_permission(request.user, "change"):
            raise Http404
        decidable = selectors.appointments_decidable_by(request.user).filter(pk=pk).first()
        if decidable is None:
            visible = get_object_or_404(selectors.appointments_visible_to(request.user), pk=pk)
            refusal = appointment_refusal(request.user, appointment=visible, deciding=True)
            if refusal is None or not _administers(request.user, visible):
                raise Http404
            messages.error(request, refusal.message)
            return redirect(self.inspect_url_name, pk)
        self.appointment = decidable
        return super().dispatch(request, pk)

    def get(self, request, pk, refusal_form=None, gate_reasons=None):
        return TemplateResponse(
            request,
            self.template_name,
            {
                "appointment": self.appointment,
                "refusal_form": refusal_form or RefusalForm(),
                "gate_reasons": gate_reasons or [],
                "index_url": reverse(self.index_url_name),
                "inspect_url": reverse(self.inspect_url_name, args=[self.appointment.pk]),
                "header_title": _("Decide on an appointment"),
            },
        )

    def post(self, request, pk):
        if self.appointment.status != Appointment.Status.REQUESTED:
            messages.error(request, _("This appointment has already been decided."))
            return redirect(self.inspect_url_name, pk)
        if "approve" in request.POST:
            try:
                services.appointment_approve(appointment=self.appointment, actor=request.user)
            except services.AppointmentRefused as refused:
                messages.warning(
                    request, _("The appointment cannot be approved yet. See the reasons below.")
                )
                return self.get(request, pk, gate_reasons=refused.reasons)
            messages.success(
                request,
                _("Approved: %(person)s now holds the position %(position)s.")
                % {"person": self.appointment.staff.user, "position": self.appointment.position},
            )
            return redirect(self.index_url_name)
        form = RefusalForm(request.POST)
        form.is_valid()
        try:
            services.appointment_refuse(
                appointment=self.appointment,
                actor=request.user,
                reason=form.cleaned_data.get("refusal_reason", ""),
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error("refusal_reason", message)
            return self.get(request, pk, refusal_form=form)
        messages.success(request, _("The appointment was refused."))
        return redirect(self.index_url_name)


class AppointmentViewSet(ScopedModelViewSet):
    model = Appointment
    icon = "user"
    menu_label = _("Appointments")
    add_view_class = AppointmentCreateView
    edit_view_class = AppointmentEditView
    inspect_view_class = AppointmentInspectView
    list_display = ["staff", "position", "status", "requested_at", "decided_at"]
    list_filter = ["status"]
    inspect_view_enabled = True
    form_fields = ["staff", "position", "note"]
    add_item_label = _("Request an appointment")

    def get_form_class(self, for_update=False):
        return AppointmentRequestForm

    def scope(self, user):
        return selectors.appointments_visible_to(user)

    def manage_scope(self, user):
        return selectors.appointments_decidable_by(user)

    def get_edit_view_kwargs(self, **kwargs):
        return {
            **super().get_edit_view_kwargs(**kwargs),
            "decide_url_name": self.get_url_name("decide"),
        }

    def get_inspect_view_kwargs(self, **kwargs):
        return {
            **super().get_inspect_view_kwargs(**kwargs),
            "decide_url_name": self.get_url_name("decide"),
        }

    @property
    def decide_view(self):
        return AppointmentDecideView.as_view(
            index_url_name=self.get_url_name("index"),
            inspect_url_name=self.get_url_name("inspect"),
        )

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("decide/<int:pk>/", self.decide_view, name="decide"),
        ]


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


from . import audit_admin, roster_admin  # noqa: E402, F401  (audit log; roster import, export)


@hooks.register("construct_homepage_panels")
def add_admin_todos(request, panels):
    from lms.admin_home import AdminTodoPanel

    panels.insert(0, AdminTodoPanel(request))
