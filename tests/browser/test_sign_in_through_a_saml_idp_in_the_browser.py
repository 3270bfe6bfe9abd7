"""A person signs in through their organisation's SAML 2.0 identity provider in headless
Chromium, on a desktop and on a phone: the organisation's sign-in address shows its button, the
browser goes to the IdP (pysaml2, a real one on its own 127.0.0.1 port), signs in on its form,
and the IdP's signed assertion, posted back by the browser, signs them in on the home page. An
assertion signed with another key ends on the sign-in error page, signed out."""

import pytest

from lms.sso.models import IdentityProvider
from tests.factories.content import home_page
from tests.factories.organisations import DepartmentFactory, person
from tests.sso_idp.conftest import needs_xmlsec1, saml_idp  # noqa: F401  (the IdP)

pytestmark = [pytest.mark.django_db(transaction=True), needs_xmlsec1]


@pytest.fixture(autouse=True)
def _site_home_page(transactional_db):
    home_page()


def saml_row(org, idp) -> IdentityProvider:
    return IdentityProvider.objects.create(
        organisation=org,
        kind=IdentityProvider.Kind.SAML,
        name="集团统一身份",
        client_id=idp.entity_id,
        server_url=idp.sso_url,
        settings={"x509cert": idp.x509cert},
        password_sign_in_allowed=False,
    )


def through_the_idp(page, live_server, org, email, employee_number):
    page.goto(f"{live_server.url}/accounts/login/?org={org.credit_code}")
    page.click("button:has-text('通过集团统一身份登录')")
    page.wait_for_selector("input[name=email]")  # the IdP's own sign-in form
    assert not page.url.startswith(live_server.url)
    page.fill("input[name=email]", email)
    page.fill("input[name=employee_number]", employee_number)
    page.click("button:has-text('Sign in')")
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_a_rostered_person_signs_in_through_the_saml_idp_and_lands_home(
    request,
    device,
    live_server,
    org,
    saml_idp,  # noqa: F811
):
    page = request.getfixturevalue("page" if device == "desktop" else "phone_page")
    staff = person(
        org,
        department=DepartmentFactory(organisation=org, name="风控部"),
        user__email=f"{device}.saml@yunji.test",
    )
    saml_idp.set_user(None)  # the IdP shows its form
    saml_row(org, saml_idp)

    through_the_idp(page, live_server, org, f"{device}.saml@yunji.test", "S-1")

    assert page.url.startswith(live_server.url)
    profile = page.locator("#profile").inner_text()
    assert staff.user.full_name in profile and org.name in profile


def test_an_assertion_signed_with_another_key_does_not_sign_anyone_in(
    page,
    live_server,
    org,
    saml_idp,  # noqa: F811
):
    person(org, user__email="forged@yunji.test")
    saml_idp.set_user(None)
    saml_idp.mode = "bad_signature"
    saml_row(org, saml_idp)

    through_the_idp(page, live_server, org, "forged@yunji.test", "S-2")

    assert page.url.startswith(live_server.url)
    assert page.locator("#profile").count() == 0
    assert "第三方登录失败" in page.locator("main").inner_text()
