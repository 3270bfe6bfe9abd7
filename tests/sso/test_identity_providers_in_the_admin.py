"""An organisation's administrators add and change its identity providers in the Wagtail admin;
the secret is never shown back; nobody else sees or touches them. The organisation may turn
password sign-in off for its people."""

import pytest

from lms.audit.models import AuditEntry
from lms.organisations.models import ComplianceRole
from lms.sso.models import IdentityProvider
from tests.factories.organisations import UserFactory, person

pytestmark = pytest.mark.django_db
INDEX = "/admin/sso/"
SECRET = "very-secret-client-value-1234"


@pytest.fixture
def head(org):
    return person(org, role=ComplianceRole.COMPLIANCE_HEAD).user


@pytest.fixture
def other_head(other_org):
    return person(other_org, role=ComplianceRole.COMPLIANCE_HEAD).user


def form(org, **overrides):
    data = {
        "organisation": org.pk,
        "kind": "oidc",
        "name": "集团统一认证",
        "client_id": "hegui",
        "secret": SECRET,
        "server_url": "https://idp.example.cn/o",
        "settings": "{}",
        "is_active": "on",
        "password_sign_in_allowed": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_a_head_adds_a_provider_and_never_sees_the_secret_again(client, org, head):
    client.force_login(head)
    assert client.get(INDEX).status_code == 200
    response = client.post(INDEX + "new/", form(org))
    assert response.status_code == 302, response.content.decode()[:2000]
    provider = IdentityProvider.objects.get(organisation=org)
    assert provider.secret == SECRET
    assert AuditEntry.objects.filter(action="sso.provider_create", organisation=org).exists()
    assert SECRET not in str(list(AuditEntry.objects.values()))
    for page in (client.get(INDEX), client.get(f"{INDEX}{provider.pk}/")):
        html = page.content.decode()
        assert page.status_code == 200
        assert "集团统一认证" in html
        assert SECRET not in html
    assert "••••1234" in client.get(INDEX).content.decode()

    # saving with the secret left empty keeps it
    response = client.post(f"{INDEX}{provider.pk}/", form(org, secret="", name="统一认证"))
    assert response.status_code == 302
    provider.refresh_from_db()
    assert (provider.name, provider.secret) == ("统一认证", SECRET)


def test_an_oidc_provider_without_its_issuer_is_refused(client, org, head):
    client.force_login(head)
    response = client.post(INDEX + "new/", form(org, server_url=""))
    assert response.status_code == 200
    assert not IdentityProvider.objects.exists()


def test_another_organisations_head_neither_sees_nor_changes_them(
    client, org, other_org, head, other_head
):
    provider = IdentityProvider.objects.create(
        organisation=org, kind="oidc", name="甲方认证", client_id="a", server_url="https://a.cn"
    )
    client.force_login(other_head)
    assert "甲方认证" not in client.get(INDEX).content.decode()
    assert client.get(f"{INDEX}{provider.pk}/").status_code == 404
    assert client.post(f"{INDEX}{provider.pk}/", form(other_org)).status_code == 404
    # nor add one to an organisation not theirs
    response = client.post(INDEX + "new/", form(org, name="冒名"))
    assert response.status_code == 200
    assert not IdentityProvider.objects.filter(name="冒名").exists()


def test_a_learner_has_no_such_page(client, org):
    learner = person(org).user
    learner.is_staff = True
    learner.save()
    client.force_login(learner)
    response = client.get(INDEX)
    assert response.status_code in (302, 403)
    assert not IdentityProvider.objects.exists()


def test_the_platform_admin_manages_any_organisations_providers(client, org):
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    assert client.post(INDEX + "new/", form(org)).status_code == 302
    assert IdentityProvider.objects.filter(organisation=org).exists()


# --- password sign-in off ---------------------------------------------------------------------


def sign_in(client, login, password="Demo-2026!"):
    return client.post("/accounts/login/", {"login": login, "password": password})


def test_password_sign_in_off_refuses_the_organisations_people(client, org, other_org):
    staff = person(org, user__email="wang@yunji.test")
    staff.user.set_password("Demo-2026!")
    staff.user.save()
    outsider = person(other_org, user__email="li@other.test")
    outsider.user.set_password("Demo-2026!")
    outsider.user.save()
    IdentityProvider.objects.create(
        organisation=org,
        kind="oidc",
        name="云集统一认证",
        client_id="a",
        server_url="https://a.cn",
        password_sign_in_allowed=False,
    )

    response = sign_in(client, "wang@yunji.test")
    assert response.status_code == 200
    assert "云集统一认证" in response.content.decode()
    assert "_auth_user_id" not in client.session

    # by employee number too
    response = sign_in(client, staff.employee_number)
    assert "_auth_user_id" not in client.session

    # a wrong password says only that it is wrong
    response = sign_in(client, "wang@yunji.test", "wrong-password")
    assert "云集统一认证" not in response.content.decode()

    # another organisation's people are untouched
    assert sign_in(client, "li@other.test").status_code == 302


def test_an_inactive_provider_does_not_turn_password_sign_in_off(client, org):
    staff = person(org, user__email="wang@yunji.test")
    staff.user.set_password("Demo-2026!")
    staff.user.save()
    IdentityProvider.objects.create(
        organisation=org,
        kind="oidc",
        name="云集统一认证",
        client_id="a",
        server_url="https://a.cn",
        password_sign_in_allowed=False,
        is_active=False,
    )
    assert sign_in(client, "wang@yunji.test").status_code == 302


def test_the_sign_in_page_shows_the_organisations_buttons_only(client, org, other_org):
    IdentityProvider.objects.create(
        organisation=org, kind="oidc", name="云集统一认证", client_id="a", server_url="https://a.cn"
    )
    IdentityProvider.objects.create(
        organisation=other_org,
        kind="oidc",
        name="乙方认证",
        client_id="b",
        server_url="https://b.cn",
    )
    page = client.get(f"/accounts/login/?org={org.credit_code}").content.decode()
    assert "云集统一认证" in page
    assert "乙方认证" not in page
    assert "云集统一认证" not in client.get("/accounts/login/").content.decode()


def test_the_edit_page_gives_the_address_to_register_with_the_provider(client, org, head):
    client.force_login(head)
    saml = IdentityProvider.objects.create(
        organisation=org, kind="saml", name="SAML", client_id="https://idp.cn/meta"
    )
    wecom = IdentityProvider.objects.create(
        organisation=org, kind="wecom", name="企业微信", client_id="ww1", settings={"agent_id": "1"}
    )
    page = client.get(f"{INDEX}{saml.pk}/").content.decode()
    assert f"/accounts/saml/{saml.provider_id}/metadata/" in page
    page = client.get(f"{INDEX}{wecom.pk}/").content.decode()
    assert f"/accounts/wecom/{wecom.provider_id}/login/callback/" in page
