"""A person signs in through their organisation's OpenID Connect provider in headless Chromium,
on a desktop and on a phone: the organisation's sign-in address shows its button, the browser
goes to the provider (django-oauth-toolkit, a real one in its own process), signs in there and
comes back signed in on the home page. Someone the provider knows but the roster does not sees
the refusal page."""

import pytest

from lms.sso.models import IdentityProvider
from tests.factories.content import home_page
from tests.factories.organisations import DepartmentFactory, person
from tests.sso.conftest import oidc_provider  # noqa: F401  (the provider process)

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "Idp-Pass-2026"


@pytest.fixture(autouse=True)
def _site_home_page(transactional_db):
    home_page()


def provider_row(org, provider, live_server) -> IdentityProvider:
    row = IdentityProvider.objects.create(
        organisation=org,
        kind=IdentityProvider.Kind.OIDC,
        name="云集统一认证",
        client_id=f"browser-{org.pk}",
        secret="browser-secret-value",
        server_url=provider.url,
        password_sign_in_allowed=False,
    )
    provider.register_client(
        row.client_id,
        row.secret,
        f"{live_server.url}/accounts/oidc/{row.provider_id}/login/callback/",
    )
    return row


def through_the_provider(page, live_server, org, email):
    page.goto(f"{live_server.url}/accounts/login/?org={org.credit_code}")
    page.click("button:has-text('通过云集统一认证登录')")
    page.wait_for_selector("#idp-sign-in")
    assert page.url.startswith("http://127.0.0.1:")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("#idp-sign-in")
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_a_rostered_person_signs_in_through_the_provider_and_lands_home(
    request,
    device,
    live_server,
    org,
    oidc_provider,  # noqa: F811
):
    page = request.getfixturevalue("page" if device == "desktop" else "phone_page")
    staff = person(
        org,
        department=DepartmentFactory(organisation=org, name="客服部"),
        user__email=f"{device}@yunji.test",
    )
    oidc_provider.add_people(f"{device}@yunji.test:X1:{PASSWORD}")
    provider_row(org, oidc_provider, live_server)

    through_the_provider(page, live_server, org, f"{device}@yunji.test")

    assert page.url.startswith(live_server.url)
    profile = page.locator("#profile").inner_text()
    assert staff.user.full_name in profile and org.name in profile


def test_someone_off_the_roster_sees_the_refusal_page(page, live_server, org, oidc_provider):  # noqa: F811
    oidc_provider.add_people(f"stranger@elsewhere.test:Z9:{PASSWORD}")
    provider_row(org, oidc_provider, live_server)

    through_the_provider(page, live_server, org, "stranger@elsewhere.test")

    assert page.url.startswith(live_server.url)
    assert "您不在所在单位的花名册上" in page.locator("main").inner_text()
    assert page.locator("#profile").count() == 0
