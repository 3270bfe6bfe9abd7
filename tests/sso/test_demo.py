"""The demo gives 云集优选 one inactive OpenID Connect provider for the admin's page to show;
seeding again adds nothing, and the sign-in page and password sign-in are as before."""

import pytest

from lms.organisations import demo as organisations_demo
from lms.sso import demo
from lms.sso.models import IdentityProvider

pytestmark = pytest.mark.django_db


def test_the_demo_provider_shows_in_the_admin_and_changes_no_sign_in(client):
    organisations_demo.seed()
    demo.seed()
    demo.seed()
    provider = IdentityProvider.objects.get()
    assert provider.organisation.name.startswith("杭州云集") and not provider.is_active
    client.force_login(provider.organisation.staff.get(user__email="head@yunji.demo").user)
    page = client.get("/admin/sso/").content.decode()
    assert provider.name in page and "demo-placeholder-secret" not in page
    client.logout()
    login = client.get(f"/accounts/login/?org={provider.organisation.credit_code}")
    assert provider.name not in login.content.decode()
