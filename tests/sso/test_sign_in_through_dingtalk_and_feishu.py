"""Sign-in through DingTalk and Feishu, the whole allauth flow: the provider's addresses point
at a local HTTP server (tests/sso/conftest.py) that answers with their documented responses
(tests/sso/fixtures/, from the DingTalk and Feishu open platform documentation). Nothing of
ours is replaced; the test plays the person's browser coming back from the provider."""

from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.socialaccount.providers.dingtalk.views import DingTalkOAuth2Adapter
from allauth.socialaccount.providers.feishu.client import FeishuOAuth2Client
from allauth.socialaccount.providers.feishu.views import FeishuOAuth2Adapter

from lms.sso.models import IdentityProvider
from tests.factories.organisations import person
from tests.sso.conftest import recorded

pytestmark = pytest.mark.django_db


@pytest.fixture
def dingtalk(recorded_api, monkeypatch):
    recorded_api.routes = {
        "/v1.0/oauth2/userAccessToken": recorded("dingtalk_user_access_token.json"),
        "/v1.0/contact/users/me": recorded("dingtalk_contact_users_me.json"),
    }
    base = recorded_api.base
    monkeypatch.setattr(DingTalkOAuth2Adapter, "authorize_url", f"{base}/oauth2/auth")
    monkeypatch.setattr(
        DingTalkOAuth2Adapter, "access_token_url", f"{base}/v1.0/oauth2/userAccessToken"
    )
    monkeypatch.setattr(DingTalkOAuth2Adapter, "profile_url", f"{base}/v1.0/contact/users/me")
    return recorded_api


@pytest.fixture
def feishu(recorded_api, monkeypatch):
    recorded_api.routes = {
        "/open-apis/auth/v3/app_access_token/internal/": recorded("feishu_app_access_token.json"),
        "/open-apis/authen/v1/access_token": recorded("feishu_authen_access_token.json"),
        "/open-apis/authen/v1/user_info": recorded("feishu_authen_user_info.json"),
    }
    base = recorded_api.base
    monkeypatch.setattr(
        FeishuOAuth2Adapter, "authorization_url", f"{base}/open-apis/authen/v1/index"
    )
    monkeypatch.setattr(
        FeishuOAuth2Adapter, "access_token_url", f"{base}/open-apis/authen/v1/access_token"
    )
    monkeypatch.setattr(
        FeishuOAuth2Adapter, "user_info_url", f"{base}/open-apis/authen/v1/user_info"
    )
    monkeypatch.setattr(
        FeishuOAuth2Client,
        "app_access_token_url",
        f"{base}/open-apis/auth/v3/app_access_token/internal/",
    )
    return recorded_api


def row(organisation, kind, **fields):
    fields = {"client_id": f"{kind}-app-key", "secret": "app-secret-for-tests", **fields}
    return IdentityProvider.objects.create(
        organisation=organisation, kind=kind, name=f"{kind} 登录", **fields
    )


def started(client, provider, api) -> str:
    response = client.post(f"/sso/{provider.pk}/start/")
    assert response.status_code == 302
    assert response["Location"].startswith(api.base)
    return parse_qs(urlsplit(response["Location"]).query)["state"][0]


def test_a_rostered_person_signs_in_through_dingtalk(client, org, dingtalk):
    staff = person(org, user__email="wang.fang@yunji.test")
    provider = row(org, IdentityProvider.Kind.DINGTALK)
    state = started(client, provider, dingtalk)

    # DingTalk sends the browser back with authCode (not code)
    response = client.get(f"/accounts/dingtalk/login/callback/?authCode=dt-code-1&state={state}")

    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == staff.user.pk
    token_call = next(c for c in dingtalk.seen if c["path"].endswith("userAccessToken"))
    assert '"clientId": "dingtalk-app-key"' in token_call["body"]
    assert '"code": "dt-code-1"' in token_call["body"]
    me_call = next(c for c in dingtalk.seen if c["path"].endswith("users/me"))
    assert me_call["headers"]["x-acs-dingtalk-access-token"] == "c5f2a1d3e8b94f7d9a0e6b2c4d8f1a3e"


def test_dingtalk_vouching_for_someone_off_the_roster_is_refused(client, org, dingtalk):
    provider = row(org, IdentityProvider.Kind.DINGTALK)
    state = started(client, provider, dingtalk)

    response = client.get(f"/accounts/dingtalk/login/callback/?authCode=dt-code-2&state={state}")

    assert response.status_code == 403
    assert 'data-sso-refusal="not_on_roster"' in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_feishu_matches_by_the_employee_number_it_asserts(client, org, feishu):
    staff = person(org, user__email="li.lei@yunji.test", employee_number="YJ0777")
    provider = row(org, IdentityProvider.Kind.FEISHU)
    state = started(client, provider, feishu)

    response = client.get(f"/accounts/feishu/login/callback/?code=fs-code-1&state={state}")

    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == staff.user.pk


def test_with_two_organisations_on_dingtalk_each_button_uses_its_own_app(
    client, org, other_org, dingtalk
):
    person(org, user__email="wang.fang@yunji.test")
    row(other_org, IdentityProvider.Kind.DINGTALK, client_id="other-app-key")
    provider = row(org, IdentityProvider.Kind.DINGTALK)
    state = started(client, provider, dingtalk)

    response = client.get(f"/accounts/dingtalk/login/callback/?authCode=dt-code-3&state={state}")

    assert response.status_code == 302
    token_call = next(c for c in dingtalk.seen if c["path"].endswith("userAccessToken"))
    assert '"clientId": "dingtalk-app-key"' in token_call["body"]
    # without a button there is no telling which organisation is meant
    client.logout()
    assert client.post("/accounts/dingtalk/login/").status_code == 404


def test_without_any_provider_the_allauth_doors_answer_404(client, db):
    for path in ("/accounts/dingtalk/login/", "/accounts/feishu/login/"):
        assert client.get(path).status_code == 404
        assert client.post(path).status_code == 404
    assert client.get("/accounts/dingtalk/login/callback/?authCode=x&state=y").status_code == 404
    assert client.get("/accounts/oidc/idp999/login/").status_code == 404
    assert client.post("/sso/999/start/").status_code == 404
