"""The forms of the People menu: choices scoped to what the user may see and change."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lms.admin_scoping import ScopedForm

from .. import rank, selectors
from ..access import access_for
from ..models import Appointment, Department, Jurisdiction, Organisation, Position, Staff


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


class RefusalForm(forms.Form):
    refusal_reason = forms.CharField(
        label=_("Reason for refusing"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
