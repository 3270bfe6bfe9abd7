"""Optional TOTP two-factor authentication for administrators and regulators."""

import re
import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)

from lms.organisations.models import ComplianceRole
from tests.factories.content import home_page
from tests.factories.organisations import PASSWORD, RegulatorFactory, person

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _site_home_page(db):
    """A reused test database may have lost the migration's home page to a transactional flush."""
    home_page()


def totp_code(secret: str, *, offset: int = 0) -> str:
    """The code an authenticator app shows now (offset in 30-second steps)."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + offset))


def sign_in(client, login, password=PASSWORD, next_url=""):
    url = "/accounts/login/" + (f"?next={next_url}" if next_url else "")
    return client.post(url, {"login": login, "password": password})


def test_administrator_enables_totp_from_the_account_menu_and_gets_recovery_codes(client, org):
    admin = person(org, role=ComplianceRole.ADMIN_FULL_TIME)
    sign_in(client, admin.user.email)
    home = client.get("/").content.decode()
    assert 'href="/accounts/2fa/"' in home
    assert "双因素身份认证" in home

    # Turning on two-factor authentication asks for the password again first.
    response = client.get("/accounts/2fa/totp/activate/")
    assert response.url.startswith("/accounts/reauthenticate/")
    assert "site-header" in client.get(response.url).content.decode()
    response = client.post(response.url, {"password": PASSWORD})
    assert response.url == "/accounts/2fa/totp/activate/"
    page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    secret = client.session["mfa.totp.secret"]
    assert secret in page.content.decode()  # shown for apps that cannot scan the QR code

    wrong = client.post("/accounts/2fa/totp/activate/", {"code": "000000"})
    assert wrong.status_code == 200
    assert not Authenticator.objects.filter(user=admin.user).exists()

    response = client.post("/accounts/2fa/totp/activate/", {"code": totp_code(secret)})
    assert response.status_code == 302
    assert response.url == "/accounts/2fa/recovery-codes/"
    types = set(Authenticator.objects.filter(user=admin.user).values_list("type", flat=True))
    assert types == {Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES}
    codes_page = client.get(response.url).content.decode()
    codes = RecoveryCodes(
        Authenticator.objects.get(user=admin.user, type=Authenticator.Type.RECOVERY_CODES)
    ).get_unused_codes()
    assert codes and all(code in codes_page for code in codes)


def test_once_enabled_sign_in_asks_for_the_code(client, org):
    admin = person(org, role=ComplianceRole.COMPLIANCE_HEAD, employee_number="H0001")
    secret = generate_totp_secret()
    TOTP.activate(admin.user, secret)

    response = sign_in(client, "H0001", next_url="/admin/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/2fa/authenticate/")
    assert client.session.get("_auth_user_id") is None
    assert client.get("/admin/").status_code == 302  # not in yet

    page = client.get(response.url).content.decode()
    assert "验证码" in page or "身份验证器" in page
    refused = client.post("/accounts/2fa/authenticate/", {"code": "123456"})
    assert refused.status_code == 200
    assert client.session.get("_auth_user_id") is None

    accepted = client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})
    assert accepted.status_code == 302
    assert accepted.url == "/admin/"
    assert client.session["_auth_user_id"] == str(admin.user.pk)
    assert client.get("/admin/").status_code == 200


def test_a_used_code_cannot_be_replayed(client, org):
    admin = person(org, role=ComplianceRole.ADMIN_FULL_TIME)
    secret = generate_totp_secret()
    TOTP.activate(admin.user, secret)
    code = totp_code(secret)
    sign_in(client, admin.user.email)
    assert client.post("/accounts/2fa/authenticate/", {"code": code}).status_code == 302
    client.logout()
    sign_in(client, admin.user.email)
    assert client.post("/accounts/2fa/authenticate/", {"code": code}).status_code == 200
    assert client.session.get("_auth_user_id") is None


def test_a_recovery_code_signs_in_once(client, org):
    admin = person(org, role=ComplianceRole.ADMIN_FULL_TIME)
    TOTP.activate(admin.user, generate_totp_secret())
    recovery = RecoveryCodes.activate(admin.user)
    code = recovery.get_unused_codes()[0]
    sign_in(client, admin.user.email)
    assert client.post("/accounts/2fa/authenticate/", {"code": code}).status_code == 302
    client.logout()
    sign_in(client, admin.user.email)
    assert client.post("/accounts/2fa/authenticate/", {"code": code}).status_code == 200


def test_regulator_officer_sees_the_two_factor_entry(client, db):
    officer = person(RegulatorFactory(), role=ComplianceRole.REGULATOR_OFFICER)
    client.force_login(officer.user)
    assert 'href="/accounts/2fa/"' in client.get("/").content.decode()


def test_learner_menu_has_no_two_factor_entry(client, org):
    learner = person(org)
    client.force_login(learner.user)
    html = client.get("/").content.decode()
    assert 'href="/accounts/2fa/"' not in html
    assert re.search(r'href="/accounts/password/change/"', html)


def test_two_factor_pages_are_in_chinese_inside_the_site_layout(client, org):
    admin = person(org, role=ComplianceRole.ADMIN_FULL_TIME)
    sign_in(client, admin.user.email)
    html = client.get("/accounts/2fa/").content.decode()
    assert "site-header" in html
    assert "双因素身份认证" in html
