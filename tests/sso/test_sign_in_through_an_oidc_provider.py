"""Sign-in through an organisation's OpenID Connect provider, a real one (django-oauth-toolkit
in a second process, tests/sso/conftest.py): the person's browser is played by an HTTP session
that signs in at the provider and follows its redirects; our side is the Django test client.

A rostered person lands signed in (audited like a password sign-in); one the provider vouches
for who is not on the organisation's roster sees the refusal page and no account is made; a
callback whose state is not the one we sent is refused; someone on another organisation's
roster is not let in through this organisation's provider."""

import re
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
import requests

from lms.audit.models import AuditEntry
from lms.sso.models import IdentityProvider
from tests.factories.organisations import person

pytestmark = pytest.mark.django_db
PASSWORD = "Idp-Pass-2026"


def oidc_row(organisation, provider, **fields) -> IdentityProvider:
    row = IdentityProvider.objects.create(
        organisation=organisation,
        kind=IdentityProvider.Kind.OIDC,
        name="集团统一认证",
        client_id=f"hegui-{organisation.pk}",
        secret="s3cret-value-for-tests",
        server_url=provider.url,
        **fields,
    )
    provider.register_client(
        row.client_id,
        row.secret,
        f"http://testserver/accounts/oidc/{row.provider_id}/login/callback/",
    )
    return row


def through_provider(authorize_url: str, email: str) -> str:
    """Sign in at the provider as `email` and return the address it sends the browser back to."""
    browser = requests.Session()
    url = authorize_url
    for _ in range(10):
        response = browser.get(url, allow_redirects=False, timeout=10)
        if response.status_code in (301, 302):
            url = urljoin(url, response.headers["Location"])
            if url.startswith("http://testserver/"):
                return url
            continue
        assert "csrfmiddlewaretoken" in response.text, response.text[:500]
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.text).group(1)
        nxt = re.search(r'name="next" value="([^"]*)"', response.text).group(1)
        response = browser.post(
            url,
            data={
                "csrfmiddlewaretoken": token,
                "username": email,
                "password": PASSWORD,
                "next": nxt.replace("&amp;", "&"),
            },
            headers={"Referer": url},
            allow_redirects=False,
            timeout=10,
        )
        assert response.status_code == 302, response.text[:500]
        url = urljoin(url, response.headers["Location"])
    raise AssertionError("the provider never sent the browser back")


def start(client, row) -> str:
    response = client.post(f"/sso/{row.pk}/start/")
    assert response.status_code == 302
    assert response["Location"].startswith(row.server_url + "/authorize/")
    return response["Location"]


def callback(client, url: str):
    parts = urlsplit(url)
    return client.get(f"{parts.path}?{parts.query}")


def test_a_rostered_person_signs_in_through_the_organisations_provider(client, org, oidc_provider):
    staff = person(org, user__email="wang.fang@yunji.test", employee_number="YJ0042")
    oidc_provider.add_people(f"wang.fang@yunji.test:X9:{PASSWORD}")
    row = oidc_row(org, oidc_provider)

    response = callback(client, through_provider(start(client, row), "wang.fang@yunji.test"))

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert int(client.session["_auth_user_id"]) == staff.user.pk
    entry = AuditEntry.objects.get(action="auth.sign_in", actor=staff.user)
    assert entry.organisation_id == org.pk


def test_the_employee_number_matches_when_the_email_is_not_on_the_roster(
    client, org, oidc_provider
):
    staff = person(org, user__email="li.lei@yunji.test", employee_number="YJ0777")
    oidc_provider.add_people(f"lilei@personal.test:YJ0777:{PASSWORD}")
    row = oidc_row(org, oidc_provider, settings={"employee_number_claim": "employee_number"})

    response = callback(client, through_provider(start(client, row), "lilei@personal.test"))

    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == staff.user.pk


def test_someone_not_on_the_roster_is_refused_with_a_clear_page(client, org, oidc_provider):
    from lms.accounts.models import User

    oidc_provider.add_people(f"stranger@elsewhere.test:Z1:{PASSWORD}")
    row = oidc_row(org, oidc_provider)
    users_before = User.objects.count()

    response = callback(client, through_provider(start(client, row), "stranger@elsewhere.test"))

    assert response.status_code == 403
    page = response.content.decode()
    assert 'data-sso-refusal="not_on_roster"' in page
    assert "_auth_user_id" not in client.session
    assert User.objects.count() == users_before
    assert AuditEntry.objects.filter(action="auth.sso_refused").exists()


def test_a_person_of_another_organisation_is_not_let_in_through_this_ones_provider(
    client, org, other_org, oidc_provider
):
    person(other_org, user__email="boss@other.test")
    oidc_provider.add_people(f"boss@other.test:B1:{PASSWORD}")
    row = oidc_row(org, oidc_provider)

    response = callback(client, through_provider(start(client, row), "boss@other.test"))

    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def test_a_callback_with_a_state_we_did_not_send_is_refused(client, org, oidc_provider):
    person(org, user__email="wang.fang@yunji.test")
    oidc_provider.add_people(f"wang.fang@yunji.test:X9:{PASSWORD}")
    row = oidc_row(org, oidc_provider)

    url = through_provider(start(client, row), "wang.fang@yunji.test")
    query = parse_qs(urlsplit(url).query)
    forged = f"{urlsplit(url).path}?code={query['code'][0]}&state=not-the-state-we-sent"
    response = client.get(forged)

    assert response.status_code == 401  # allauth's authentication error page
    assert "_auth_user_id" not in client.session


def test_an_inactive_provider_has_no_door(client, org, oidc_provider):
    row = oidc_row(org, oidc_provider, is_active=False)
    assert client.post(f"/sso/{row.pk}/start/").status_code == 404
    assert client.post(f"/accounts/oidc/{row.provider_id}/login/").status_code == 404


def test_a_person_with_mfa_is_asked_for_the_code_as_with_a_password(client, org, oidc_provider):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    staff = person(org, user__email="wang.fang@yunji.test")
    TOTP.activate(staff.user, generate_totp_secret())
    oidc_provider.add_people(f"wang.fang@yunji.test:X9:{PASSWORD}")
    row = oidc_row(org, oidc_provider)

    response = callback(client, through_provider(start(client, row), "wang.fang@yunji.test"))

    assert response.status_code == 302
    assert response["Location"].endswith("/accounts/2fa/authenticate/")
    assert "_auth_user_id" not in client.session


def test_an_account_locked_out_by_failed_passwords_stays_locked(client, org, oidc_provider):
    staff = person(org, user__email="wang.fang@yunji.test")
    for _ in range(5):
        client.post("/accounts/login/", {"login": "wang.fang@yunji.test", "password": "wrong"})
    oidc_provider.add_people(f"wang.fang@yunji.test:X9:{PASSWORD}")
    row = oidc_row(org, oidc_provider)

    response = callback(client, through_provider(start(client, row), "wang.fang@yunji.test"))

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert staff.user.socialaccount_set.count() == 0
