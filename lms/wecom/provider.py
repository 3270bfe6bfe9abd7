"""The WeCom (企业微信) provider: allauth's OAuth2 provider, one SocialApp per organisation.

A SocialApp with ``provider="wecom"``, a ``provider_id`` of its own (e.g. ``wecom-acme``: it names
the routes ``/accounts/wecom/<provider_id>/login/`` and ``.../login/callback/``, like allauth's
OpenID Connect apps), ``client_id`` = the corp ID (企业ID), ``secret`` = the app's Secret, and in
``settings``: ``agent_id`` (the app's AgentId, required), optionally ``in_app: true`` (sign in
inside the WeCom client through its OAuth2 page), ``scope`` (``snsapi_privateinfo`` there, so the
e-mail comes from 获取访问用户敏感信息) and ``api_base_url`` (a privately deployed WeCom).
"""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from allauth.socialaccount.providers.base import ProviderAccount
from allauth.socialaccount.providers.oauth2.provider import OAuth2Provider
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext

from .views import WeComOAuth2Adapter


class WeComAccount(ProviderAccount):
    def to_str(self) -> str:
        return self.account.extra_data.get("name") or super().to_str()


class WeComProvider(OAuth2Provider):
    id = "wecom"
    name = "WeCom"
    account_class = WeComAccount
    oauth2_adapter_class = WeComOAuth2Adapter

    def __init__(self, request: HttpRequest, app: Any = None) -> None:
        super().__init__(request, app=app)
        self.name = self.app.name or gettext("WeCom")

    def get_login_url(self, request: HttpRequest, **kwargs: Any) -> str:
        url = reverse("wecom_login", kwargs={"provider_id": self.sub_id})
        return f"{url}?{urlencode(kwargs)}" if kwargs else url

    def get_callback_url(self) -> str:
        return reverse("wecom_callback", kwargs={"provider_id": self.sub_id})

    def get_oauth2_adapter(self, request: HttpRequest) -> WeComOAuth2Adapter:
        return WeComOAuth2Adapter(request, self.sub_id)

    def redirect(
        self,
        request: HttpRequest,
        process: Any,
        next_url: str | None = None,
        data: Any = None,
        **kwargs: Any,
    ) -> HttpResponseRedirect:
        """To WeCom's login page with a state of allauth's (WeCom takes neither PKCE nor a
        client_id: its parameters are appid and agentid)."""
        kwargs.pop("auth_params", None)
        kwargs.pop("scope", None)
        state_id = self.stash_redirect_state(request, process, next_url, data, **kwargs)
        adapter = self.get_oauth2_adapter(request)
        return HttpResponseRedirect(adapter.authorize_url_for(self.app, state_id))

    def extract_uid(self, data: dict[str, Any]) -> str:
        return str(data["userid"])

    def extract_common_fields(self, data: dict[str, Any]) -> dict[str, Any]:
        # The name stays in extra_data: allauth's populate_user would split it into first_name,
        # which our User computes (a property) from the roster's full name.
        emails = data.get("emails") or []
        return {"email": emails[0] if emails else None}

    def extract_email_addresses(self, data: dict[str, Any]) -> list[EmailAddress]:
        # WeCom does not say whether an address was ever confirmed: the enterprise's admin typed
        # it, so it is not marked verified.
        return [
            EmailAddress(email=email, verified=False, primary=(i == 0))
            for i, email in enumerate(data.get("emails") or [])
        ]

    @staticmethod
    def employee_number(data: dict[str, Any]) -> str:
        """The member's WeCom userid, which enterprises commonly set to the employee number."""
        return str(data.get("userid") or "")


provider_classes = [WeComProvider]
