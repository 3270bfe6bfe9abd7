"""The Wagtail admin's HR API page: an organisation's API keys (made, listed, revoked) and
webhook endpoints (added, paused, their deliveries with the answers, replayed). Seen by the
organisation's compliance head and full-time administrators (selectors, through access.py)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet

from . import selectors, services
from .forms import ApiKeyForm, WebhookEndpointForm

URL_NAMESPACE = "integrations_admin"
DELIVERIES_SHOWN = 100


def _organisations(user):
    organisations = selectors.integration_organisations_for(user)
    if not organisations.exists():
        raise PermissionDenied
    return organisations


def _render_index(request, organisations, key_form=None, endpoint_form=None, new_key=None):
    return TemplateResponse(
        request,
        "integrations/index.html",
        {
            "header_title": _("HR API and webhooks"),
            "keys": selectors.api_keys_manageable_by(request.user),
            "endpoints": selectors.webhook_endpoints_manageable_by(request.user),
            "key_form": key_form or ApiKeyForm(organisations=organisations),
            "endpoint_form": endpoint_form or WebhookEndpointForm(organisations=organisations),
            "new_key": new_key,
            "docs_url": reverse("api:docs"),
        },
    )


def integrations_index(request):
    return _render_index(request, _organisations(request.user))


@require_POST
def api_key_create(request):
    organisations = _organisations(request.user)
    form = ApiKeyForm(request.POST, organisations=organisations)
    if not form.is_valid():
        return _render_index(request, organisations, key_form=form)
    api_key, raw = services.api_key_create(
        actor=request.user,
        organisation=form.cleaned_data["organisation"],
        name=form.cleaned_data["name"],
        scope=form.cleaned_data["scope"],
    )
    # Shown once, on this response only: it is not stored and cannot be shown again.
    return _render_index(request, organisations, new_key={"key": api_key, "secret": raw})


@require_POST
def api_key_revoke(request, key_id: int):
    api_key = get_object_or_404(selectors.api_keys_manageable_by(request.user), pk=key_id)
    services.api_key_revoke(actor=request.user, api_key=api_key)
    messages.success(request, _("API key %(key)s revoked.") % {"key": api_key})
    return redirect(f"{URL_NAMESPACE}:index")


@require_POST
def webhook_create(request):
    organisations = _organisations(request.user)
    form = WebhookEndpointForm(request.POST, organisations=organisations)
    if not form.is_valid():
        return _render_index(request, organisations, endpoint_form=form)
    try:
        endpoint = services.webhook_endpoint_create(
            actor=request.user,
            organisation=form.cleaned_data["organisation"],
            url=form.cleaned_data["url"],
            event_names=form.cleaned_data["events"],
        )
    except ValidationError as exc:
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        return _render_index(request, organisations, endpoint_form=form)
    return redirect(f"{URL_NAMESPACE}:webhook", endpoint.pk)


def webhook_detail(request, endpoint_id: int):
    endpoint = get_object_or_404(
        selectors.webhook_endpoints_manageable_by(request.user), pk=endpoint_id
    )
    return TemplateResponse(
        request,
        "integrations/webhook.html",
        {
            "header_title": _("Webhook: %(url)s") % {"url": endpoint.url},
            "endpoint": endpoint,
            "deliveries": endpoint.deliveries.all()[:DELIVERIES_SHOWN],
        },
    )


@require_POST
def webhook_toggle(request, endpoint_id: int):
    endpoint = get_object_or_404(
        selectors.webhook_endpoints_manageable_by(request.user), pk=endpoint_id
    )
    services.webhook_endpoint_set_active(
        actor=request.user, endpoint=endpoint, active=not endpoint.is_active
    )
    return redirect(f"{URL_NAMESPACE}:webhook", endpoint.pk)


@require_POST
def delivery_replay(request, delivery_id: int):
    delivery = get_object_or_404(
        selectors.webhook_deliveries_manageable_by(request.user), pk=delivery_id
    )
    services.webhook_delivery_replay(actor=request.user, delivery=delivery)
    messages.success(request, _("The event is being sent again."))
    return redirect(f"{URL_NAMESPACE}:webhook", delivery.endpoint_id)


class IntegrationsMenuItem(MenuItem):
    def is_shown(self, request):
        return selectors.integration_organisations_for(request.user).exists()


class IntegrationsViewSet(ViewSet):
    icon = "link"
    menu_label = gettext_lazy("HR API")
    add_to_admin_menu = True
    menu_order = 205
    menu_item_class = IntegrationsMenuItem
    url_prefix = "hr-api"

    def get_urlpatterns(self):
        return [
            path("", integrations_index, name="index"),
            path("keys/new/", api_key_create, name="key_create"),
            path("keys/<int:key_id>/revoke/", api_key_revoke, name="key_revoke"),
            path("webhooks/new/", webhook_create, name="webhook_create"),
            path("webhooks/<int:endpoint_id>/", webhook_detail, name="webhook"),
            path("webhooks/<int:endpoint_id>/toggle/", webhook_toggle, name="webhook_toggle"),
            path("deliveries/<int:delivery_id>/replay/", delivery_replay, name="replay"),
        ]

    @property
    def menu_url(self):
        return reverse(f"{URL_NAMESPACE}:index")


@hooks.register("register_admin_viewset")
def register_integrations():
    return IntegrationsViewSet(URL_NAMESPACE)
