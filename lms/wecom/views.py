"""WeCom's OAuth2 adapter and the two routes (login, callback) for one SocialApp by provider_id.

Both answer 404 when no WeCom app has that provider_id, so a site without WeCom configured
exposes nothing. WeCom's refusals (errcode ≠ 0, a visitor who is not a member) end on allauth's
sign-in error page, like any OAuth2 failure."""

from __future__ import annotations

from typing import Any

from allauth.account.internal.decorators import login_not_required
from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.models import SocialApp, SocialLogin, SocialToken
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from allauth.socialaccount.providers.oauth2.views import (
    OAuth2Adapter,
    OAuth2CallbackView,
    OAuth2LoginView,
)
from allauth.utils import build_absolute_uri, get_request_param
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, MultipleObjectsReturned
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse

from . import api

TIMEOUT_SECONDS = 10


def api_base_url(app: SocialApp) -> str:
    """The app's own (a privately deployed WeCom), else settings.WECOM_API_BASE_URL, else
    WeCom's public API."""
    base = app.settings.get("api_base_url") or getattr(
        settings, "WECOM_API_BASE_URL", api.API_BASE_URL
    )
    return str(base).rstrip("/")


class WeComOAuth2Adapter(OAuth2Adapter):
    access_token_url = f"{api.API_BASE_URL}/cgi-bin/gettoken"  # nosec: a URL, not a secret

    def __init__(self, request: HttpRequest, provider_id: str) -> None:
        self.provider_id = provider_id
        super().__init__(request)

    def authorize_url_for(self, app: SocialApp, state: str) -> str:
        agent_id = app.settings.get("agent_id")
        if not agent_id:
            raise ImproperlyConfigured(f"WeCom app {app.provider_id!r} has no agent_id setting")
        return api.authorize_url(
            corp_id=app.client_id,
            agent_id=str(agent_id),
            redirect_uri=self.get_callback_url(self.request, app),
            state=state,
            in_app=bool(app.settings.get("in_app")),
            scope=str(app.settings.get("scope") or "snsapi_base"),
            web_login_url=getattr(settings, "WECOM_WEB_LOGIN_URL", api.WEB_LOGIN_URL),
            in_app_authorize_url=getattr(
                settings, "WECOM_IN_APP_AUTHORIZE_URL", api.IN_APP_AUTHORIZE_URL
            ),
        )

    def get_callback_url(self, request: HttpRequest, app: SocialApp) -> str:
        url = reverse("wecom_callback", kwargs={"provider_id": self.provider_id})
        return build_absolute_uri(request, url, self.redirect_uri_protocol)

    def _call(
        self, app: SocialApp, step: str, path: str, params: dict[str, str], body: Any = None
    ) -> dict[str, Any]:
        url = f"{api_base_url(app)}{path}"
        with get_adapter(self.request).get_requests_session() as session:
            if body is None:
                response = session.get(url, params=params, timeout=TIMEOUT_SECONDS)
            else:
                response = session.post(url, params=params, json=body, timeout=TIMEOUT_SECONDS)
            response.raise_for_status()
            payload = response.json()
        try:
            return api.checked(step, payload)
        except api.WeComError as refused:
            raise OAuth2Error(str(refused)) from refused

    def get_access_token_data(
        self, request: HttpRequest, app: SocialApp, client: Any, pkce_code_verifier: Any = None
    ) -> dict[str, Any]:
        """The app's token, then who came back with the code (WeCom's token is the app's, not the
        person's: the code is exchanged for a userid with it)."""
        code = get_request_param(request, "code")
        token = self._call(
            app,
            "gettoken",
            "/cgi-bin/gettoken",
            {"corpid": app.client_id, "corpsecret": app.secret},
        )
        access_token = token.get("access_token")
        if not isinstance(access_token, str) or not access_token:
            raise OAuth2Error("WeCom gettoken: no access_token")
        identity = self._call(
            app,
            "getuserinfo",
            "/cgi-bin/auth/getuserinfo",
            {"access_token": access_token, "code": code or ""},
        )
        try:
            userid = api.member_id(identity)
        except api.WeComError as refused:
            raise OAuth2Error(str(refused)) from refused
        self.did_fetch_access_token = True
        return {
            "access_token": access_token,
            "expires_in": token.get("expires_in"),
            "userid": userid,
            "user_ticket": identity.get("user_ticket") or "",
        }

    def complete_login(
        self, request: HttpRequest, app: SocialApp, token: SocialToken, **kwargs: Any
    ) -> SocialLogin:
        answer = kwargs["response"]
        userid = answer["userid"]
        params = {"access_token": token.token}
        answers = [self._call(app, "user/get", "/cgi-bin/user/get", {**params, "userid": userid})]
        if answer["user_ticket"]:
            answers.append(
                self._call(
                    app,
                    "getuserdetail",
                    "/cgi-bin/auth/getuserdetail",
                    params,
                    body={"user_ticket": answer["user_ticket"]},
                )
            )
        member = api.member_from(userid, *answers)
        extra_data = {
            "corp_id": app.client_id,
            "userid": member.userid,
            "name": member.name,
            "email": member.email,
            "biz_mail": member.biz_mail,
            "mobile": member.mobile,
            "emails": member.emails,
        }
        return self.get_provider().sociallogin_from_response(request, extra_data)


def _adapter_or_404(request: HttpRequest, provider_id: str) -> WeComOAuth2Adapter:
    adapter = WeComOAuth2Adapter(request, provider_id)
    try:
        provider = adapter.get_provider()
    except (SocialApp.DoesNotExist, MultipleObjectsReturned, ImproperlyConfigured):
        raise Http404 from None
    if provider.id != "wecom":  # another kind of app's provider_id
        raise Http404
    return adapter


@login_not_required
def login(request: HttpRequest, provider_id: str) -> HttpResponse:
    return OAuth2LoginView.adapter_view(_adapter_or_404(request, provider_id))(request)


@login_not_required
def callback(request: HttpRequest, provider_id: str) -> HttpResponse:
    return OAuth2CallbackView.adapter_view(_adapter_or_404(request, provider_id))(request)
