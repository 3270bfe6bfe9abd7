"""allauth's own SAML provider as the SP, against the test IdP, through its real routes (login →
IdP → ACS → finish). Runs once `allauth.socialaccount.providers.saml` is installed (the SSO work
adds it); until then it is skipped, saying so.

Two things allauth's SAML SP needs that a real browser gives but Django's test client does not:
an HTTP Host header, and, for the one-label host "testserver", `allow_single_label_domains`."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import urlsplit

import pytest
import requests
from allauth.socialaccount.models import SocialAccount, SocialApp
from django.conf import settings
from django.contrib.sites.models import Site

from tests.factories.organisations import UserFactory
from tests.sso_idp.conftest import needs_xmlsec1

pytestmark = [
    pytest.mark.django_db,
    needs_xmlsec1,
    pytest.mark.skipif(
        "allauth.socialaccount.providers.saml" not in settings.INSTALLED_APPS,
        reason="allauth's SAML provider is not in INSTALLED_APPS yet",
    ),
]

EMAIL = "wang.fang@example.cn"


def _post_form(page: str) -> tuple[str, dict[str, str]]:
    action = re.search(r'<form[^>]*action="([^"]+)"', page)
    assert action is not None, page
    found = re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page)
    return urlsplit(unescape(action.group(1))).path, {n: unescape(v) for n, v in found}


def _acs(client, path: str, fields: dict[str, str]):
    answer = client.post(path, fields)
    while answer.status_code == 302 and "/acs/finish" in answer["Location"]:
        answer = client.get(answer["Location"])
    return answer


def _sign_in(client, idp) -> tuple[str, dict[str, str]]:
    client.defaults["HTTP_HOST"] = "testserver"
    app = SocialApp.objects.create(
        provider="saml",
        provider_id="acme-saml",
        client_id="acme",
        name="ACME",
        settings={
            "idp": {"entity_id": idp.entity_id, "sso_url": idp.sso_url, "x509cert": idp.x509cert},
            "attribute_mapping": {"uid": "uid", "email": "email"},
            "advanced": {"want_assertion_signed": True, "allow_single_label_domains": True},
        },
    )
    app.sites.add(Site.objects.get_current())
    person = UserFactory(email=EMAIL)
    SocialAccount.objects.create(user=person, provider="acme-saml", uid=EMAIL, extra_data={})
    idp.set_user(email=EMAIL, employee_number="E-1")
    started = client.post("/accounts/saml/acme/login/")
    assert started.status_code == 302
    assert started["Location"].startswith(idp.sso_url + "?SAMLRequest=")
    return _post_form(requests.get(started["Location"], timeout=10).text)


def test_the_idps_person_is_signed_in_and_a_replay_of_the_same_post_is_refused(client, saml_idp):
    path, fields = _sign_in(client, saml_idp)
    answer = _acs(client, path, fields)
    assert answer.status_code == 302
    assert client.session.get("_auth_user_id")
    client.logout()
    replayed = _acs(client, path, fields)
    assert replayed.status_code == 403
    assert client.session.get("_auth_user_id") is None


@pytest.mark.parametrize("mode", ["bad_signature", "expired"])
def test_a_bad_or_expired_assertion_ends_on_the_sign_in_error_page(client, saml_idp, mode):
    saml_idp.mode = mode
    path, fields = _sign_in(client, saml_idp)
    answer = _acs(client, path, fields)
    assert answer.status_code == 401
    assert "socialaccount/authentication_error.html" in [t.name for t in answer.templates]
    assert client.session.get("_auth_user_id") is None
