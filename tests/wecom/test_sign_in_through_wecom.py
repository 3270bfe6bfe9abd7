"""Signing in through WeCom (企业微信) end to end: our provider's routes, allauth's OAuth2 views,
and real HTTP to a local server answering as WeCom's documentation shows (wecom_server.py).
Nothing of ours is mocked."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model
from django.urls import reverse

from lms.sso.models import IdentityProvider
from tests.factories.organisations import OrganisationFactory, person
from tests.wecom import wecom_server
from tests.wecom.wecom_server import FakeWeCom

pytestmark = pytest.mark.django_db

# the organisation's WeCom app is an IdentityProvider row (lms/sso); its routes carry the row's id
_rows: list[IdentityProvider] = []


@pytest.fixture
def wecom(settings):
    fake = FakeWeCom().start()
    settings.WECOM_API_BASE_URL = fake.base_url
    settings.WECOM_WEB_LOGIN_URL = f"{fake.base_url}/wwlogin/sso/login"
    yield fake
    fake.stop()


def make_app(secret: str = wecom_server.SECRET, **app_settings) -> IdentityProvider:
    row = IdentityProvider.objects.create(
        organisation=OrganisationFactory(name="ACME 有限公司"),
        kind=IdentityProvider.Kind.WECOM,
        name="ACME 企业微信",
        client_id=wecom_server.CORP_ID,
        secret=secret,
        settings={"agent_id": wecom_server.AGENT_ID, **app_settings},
    )
    _rows[:] = [row]
    return row


def provider_id() -> str:
    return _rows[-1].provider_id if _rows else "idp999999"


def login_url() -> str:
    return reverse("wecom_login", kwargs={"provider_id": provider_id()})


def go_through_wecom(client, wecom: FakeWeCom):
    """Start at our login route, follow the redirect to WeCom's login page (the local one) and
    come back with what it hands out; returns our callback's response."""
    started = client.post(login_url())
    assert started.status_code == 302, started.content[:500]
    at_wecom = requests.get(started["Location"], allow_redirects=False, timeout=10)
    assert at_wecom.status_code == 302, at_wecom.text
    back = urlsplit(at_wecom.headers["Location"])
    assert back.netloc == "testserver"
    return client.get(f"{back.path}?{back.query}")


def signed_in_user_id(client):
    return client.session.get("_auth_user_id")


def test_we_send_the_browser_to_wecoms_web_login_with_the_apps_corp_and_agent(client, wecom):
    make_app()
    started = client.post(login_url())
    target = urlsplit(started["Location"])
    assert (
        f"{target.scheme}://{target.netloc}{target.path}" == f"{wecom.base_url}/wwlogin/sso/login"
    )
    query = {k: v[0] for k, v in parse_qs(target.query).items()}
    assert query["login_type"] == "CorpApp"
    assert query["appid"] == wecom_server.CORP_ID
    assert query["agentid"] == wecom_server.AGENT_ID
    callback = reverse("wecom_callback", kwargs={"provider_id": provider_id()})
    assert query["redirect_uri"] == f"http://testserver{callback}"
    assert query["state"]
    assert "client_id" not in query and "corpsecret" not in target.query


def test_a_rostered_member_signs_in_and_the_directory_fills_the_account(client, wecom):
    row = make_app()
    member = person(row.organisation, user__email="zhangsan@gzdev.com").user

    answer = go_through_wecom(client, wecom)

    assert answer.status_code == 302, answer.content[:800]
    assert signed_in_user_id(client) == str(member.pk)
    assert wecom.paths() == [
        "/cgi-bin/gettoken",
        "/cgi-bin/auth/getuserinfo",
        "/cgi-bin/user/get",
        "/cgi-bin/auth/getuserdetail",
    ]
    _, _, token_query, _ = wecom.calls[1]
    assert token_query == {"corpid": wecom_server.CORP_ID, "corpsecret": wecom_server.SECRET}
    _, _, _, detail_body = wecom.calls[-1]
    assert detail_body == {"user_ticket": wecom_server.USER_TICKET}
    account = SocialAccount.objects.get(user=member, provider=row.provider_id)
    assert account.extra_data["userid"] == "lisi"
    assert account.extra_data["name"] == "李四"
    assert account.extra_data["emails"] == ["zhangsan@gzdev.com", "zhangsan@qyycs2.wecom.work"]
    assert account.extra_data["mobile"] == "13800000000"
    assert account.extra_data["corp_id"] == wecom_server.CORP_ID
    assert account.get_provider().employee_number(account.extra_data) == "lisi"


def test_a_member_off_the_roster_gets_no_account_of_wecoms_making(client, wecom):
    make_app()
    users_before = get_user_model().objects.count()

    answer = go_through_wecom(client, wecom)

    assert signed_in_user_id(client) is None
    assert get_user_model().objects.count() == users_before
    assert not SocialAccount.objects.exists()
    # nobody on the organisation's roster has the member's e-mail or userid: refused (lms/sso)
    assert answer.status_code == 403
    assert 'data-sso-refusal="not_on_roster"' in answer.content.decode()


@pytest.mark.parametrize(
    ("code", "secret", "calls"),
    [
        # 全局错误码 40029: the code is stale or forged
        ("FORGED-CODE", wecom_server.SECRET, ["/cgi-bin/gettoken", "/cgi-bin/auth/getuserinfo"]),
        # 40001: the organisation's secret in our admin is wrong
        (wecom_server.MEMBER_CODE, "a-wrong-secret", ["/cgi-bin/gettoken"]),
        # errcode 0 but an openid: someone outside the enterprise
        (
            wecom_server.VISITOR_CODE,
            wecom_server.SECRET,
            ["/cgi-bin/gettoken", "/cgi-bin/auth/getuserinfo"],
        ),
    ],
    ids=["invalid-code-40029", "invalid-secret-40001", "not-a-member"],
)
def test_a_refusal_from_wecom_ends_on_the_sign_in_error_page(client, wecom, code, secret, calls):
    row = make_app(secret=secret)
    person(row.organisation, user__email="zhangsan@gzdev.com")
    wecom.next_code = code

    answer = go_through_wecom(client, wecom)

    assert answer.status_code == 401  # allauth's sign-in error page
    assert "socialaccount/authentication_error.html" in [t.name for t in answer.templates]
    assert signed_in_user_id(client) is None
    assert wecom.paths() == calls


def test_a_callback_without_our_state_calls_wecom_not_at_all(client, wecom):
    make_app()
    callback = reverse("wecom_callback", kwargs={"provider_id": provider_id()})
    answer = client.get(callback, {"code": wecom_server.MEMBER_CODE, "state": "someone-elses"})
    assert answer.status_code == 401  # allauth's sign-in error page
    assert "socialaccount/authentication_error.html" in [t.name for t in answer.templates]
    assert wecom.paths() == []
    assert signed_in_user_id(client) is None


def test_inside_the_wecom_client_the_oauth2_page_is_used(client, wecom, settings):
    settings.WECOM_IN_APP_AUTHORIZE_URL = f"{wecom.base_url}/connect/oauth2/authorize"
    make_app(in_app=True, scope="snsapi_privateinfo")
    target = urlsplit(client.post(login_url())["Location"])
    assert target.path == "/connect/oauth2/authorize"
    assert target.fragment == "wechat_redirect"
    query = {k: v[0] for k, v in parse_qs(target.query).items()}
    assert query["scope"] == "snsapi_privateinfo"
    assert query["response_type"] == "code"
    assert query["appid"] == wecom_server.CORP_ID and query["agentid"] == wecom_server.AGENT_ID


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("route", ["wecom_login", "wecom_callback"])
def test_without_that_wecom_app_the_routes_are_not_found(client, method, route):
    # No provider at all, then a provider of another kind under that id.
    url = reverse(route, kwargs={"provider_id": "idp999999"})
    assert getattr(client, method)(url).status_code == 404
    other = IdentityProvider.objects.create(
        organisation=OrganisationFactory(), kind="dingtalk", name="钉钉", client_id="x"
    )
    url = reverse(route, kwargs={"provider_id": other.provider_id})
    assert getattr(client, method)(url).status_code == 404
