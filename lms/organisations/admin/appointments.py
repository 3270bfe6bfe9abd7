"""Appointments in the People menu: requested, then approved (the gates may still refuse) or
refused; a change the rank rule refuses elsewhere points here."""

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views import View
from wagtail.admin import messages as admin_messages
from wagtail.admin.widgets.button import HeaderButton
from wagtail.permissions import policy_registry

from lms.admin_scoping import (
    FormServiceError,
    ScopedCreateView,
    ScopedEditView,
    ScopedInspectView,
    ScopedModelViewSet,
)

from .. import rank, selectors, services
from ..access import access_for, appointment_refusal
from ..models import Appointment
from .forms import AppointmentRequestForm, RefusalForm

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
