"""The Wagtail admin's enterprise sign-in page: an organisation's identity providers, listed,
added and changed. Seen by platform administrators and the organisation's own administrators
(selectors, through access.py); the secret is never shown back."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet

from . import selectors, services
from .forms import IdentityProviderForm
from .models import IdentityProvider

URL_NAMESPACE = "sso_admin"


def _organisations(user):
    organisations = selectors.sso_organisations_for(user)
    if not organisations.exists():
        raise PermissionDenied
    return organisations


def providers_index(request):
    _organisations(request.user)
    providers = selectors.identity_providers_manageable_by(request.user)
    login_url = request.build_absolute_uri(reverse("account_login"))
    return TemplateResponse(
        request,
        "sso/admin_index.html",
        {
            "header_title": _("Enterprise sign-in"),
            "providers": providers,
            "login_url": login_url,
        },
    )


def _edit(request, provider: IdentityProvider):
    organisations = _organisations(request.user)
    form = IdentityProviderForm(
        request.POST or None, instance=provider, organisations=organisations
    )
    if request.method == "POST" and form.is_valid():
        services.identity_provider_save(
            actor=request.user,
            provider=form.instance,
            data=form.cleaned_data,
            secret=form.cleaned_data.get("secret", ""),
        )
        messages.success(request, _("Identity provider “%(name)s” saved.") % {"name": provider})
        return HttpResponseRedirect(reverse(f"{URL_NAMESPACE}:index"))
    title = (
        _("Identity provider: %(name)s") % {"name": provider.name}
        if provider.pk
        else _("Add an identity provider")
    )
    callback_hint = ""
    per_row = {
        IdentityProvider.Kind.OIDC: "openid_connect_callback",
        IdentityProvider.Kind.WECOM: "wecom_callback",
    }
    if provider.pk and provider.kind in per_row:
        callback_hint = request.build_absolute_uri(
            reverse(per_row[provider.kind], kwargs={"provider_id": provider.provider_id})
        )
    elif provider.pk and provider.kind == IdentityProvider.Kind.SAML:
        callback_hint = request.build_absolute_uri(
            reverse("saml_metadata", kwargs={"organization_slug": provider.provider_id})
        )
    elif provider.pk and provider.kind in (
        IdentityProvider.Kind.DINGTALK,
        IdentityProvider.Kind.FEISHU,
    ):
        callback_hint = request.build_absolute_uri(reverse(f"{provider.kind}_callback"))
    return TemplateResponse(
        request,
        "sso/admin_edit.html",
        {"header_title": title, "form": form, "provider": provider, "callback": callback_hint},
    )


def provider_add(request):
    return _edit(request, IdentityProvider())


def provider_edit(request, idp_id: int):
    provider = get_object_or_404(
        selectors.identity_providers_manageable_by(request.user), pk=idp_id
    )
    return _edit(request, provider)


class SsoMenuItem(MenuItem):
    def is_shown(self, request):
        return selectors.sso_organisations_for(request.user).exists()


class SsoViewSet(ViewSet):
    icon = "key"
    menu_label = gettext_lazy("Enterprise sign-in")
    add_to_admin_menu = True
    menu_order = 206
    menu_item_class = SsoMenuItem
    url_prefix = "sso"

    def get_urlpatterns(self):
        return [
            path("", providers_index, name="index"),
            path("new/", provider_add, name="add"),
            path("<int:idp_id>/", provider_edit, name="edit"),
        ]

    @property
    def menu_url(self):
        return reverse(f"{URL_NAMESPACE}:index")


@hooks.register("register_admin_viewset")
def register_sso():
    return SsoViewSet(URL_NAMESPACE)
