"""Sign-in through an organisation's SAML 2.0 identity provider, a real one (pysaml2 in its own
process, tests/sso_idp/saml_idp.py), configured as an IdentityProvider row (entity ID, single
sign-on URL, certificate): allauth's SAML SP through its real routes (login → IdP → ACS).

A rostered person is signed in; the same POST replayed is refused; an assertion signed with
another key, or expired, ends on the sign-in error page; someone off the roster sees the
refusal page.

Two things a real browser gives but Django's test client does not: an HTTP Host header, and,
for the one-label host "testserver", python3-saml's `allow_single_label_domains`."""

import re
from html import unescape
from urllib.parse import urlsplit

import pytest
import requests

from lms.sso.models import IdentityProvider
from tests.factories.organisations import person
from tests.sso_idp.conftest import needs_xmlsec1, saml_idp  # noqa: F401

pytestmark = [pytest.mark.django_db, needs_xmlsec1]


def saml_row(org, idp) -> IdentityProvider:
    return IdentityProvider.objects.create(
        organisation=org,
        kind=IdentityProvider.Kind.SAML,
        name="集团 SAML",
        client_id=idp.entity_id,
        server_url=idp.sso_url,
        settings={"x509cert": idp.x509cert, "advanced": {"allow_single_label_domains": True}},
    )


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


def through_the_idp(client, row, idp) -> tuple[str, dict[str, str]]:
    client.defaults["HTTP_HOST"] = "testserver"
    started = client.post(f"/sso/{row.pk}/start/")
    assert started.status_code == 302
    assert started["Location"].startswith(idp.sso_url + "?SAMLRequest=")
    return _post_form(requests.get(started["Location"], timeout=10).text)


def test_a_rostered_person_signs_in_and_a_replay_of_the_same_post_is_refused(
    client,
    org,
    saml_idp,  # noqa: F811
):
    staff = person(org, user__email="wang.fang@example.cn")
    saml_idp.set_user(email="wang.fang@example.cn", employee_number="E-1")
    row = saml_row(org, saml_idp)

    path, fields = through_the_idp(client, row, saml_idp)
    assert path == f"/accounts/saml/{row.provider_id}/acs/"
    answer = _acs(client, path, fields)
    assert answer.status_code == 302
    assert int(client.session["_auth_user_id"]) == staff.user.pk

    client.logout()
    replayed = _acs(client, path, fields)
    assert replayed.status_code == 403
    assert client.session.get("_auth_user_id") is None


def test_the_employee_number_attribute_matches(client, org, saml_idp):  # noqa: F811
    staff = person(org, user__email="li@yunji.test", employee_number="E-77")
    saml_idp.set_user(email="li@personal.test", employee_number="E-77")
    row = saml_row(org, saml_idp)
    answer = _acs(client, *through_the_idp(client, row, saml_idp))
    assert answer.status_code == 302
    assert int(client.session["_auth_user_id"]) == staff.user.pk


def test_someone_off_the_roster_is_refused(client, org, saml_idp):  # noqa: F811
    saml_idp.set_user(email="stranger@elsewhere.test", employee_number="Z-1")
    row = saml_row(org, saml_idp)
    answer = _acs(client, *through_the_idp(client, row, saml_idp))
    assert answer.status_code == 403
    assert 'data-sso-refusal="not_on_roster"' in answer.content.decode()
    assert client.session.get("_auth_user_id") is None


@pytest.mark.parametrize("mode", ["bad_signature", "expired"])
def test_a_bad_or_expired_assertion_ends_on_the_sign_in_error_page(
    client,
    org,
    saml_idp,  # noqa: F811
    mode,
):
    person(org, user__email="wang.fang@example.cn")
    saml_idp.set_user(email="wang.fang@example.cn", employee_number="E-1")
    saml_idp.mode = mode
    row = saml_row(org, saml_idp)
    answer = _acs(client, *through_the_idp(client, row, saml_idp))
    assert answer.status_code == 401
    assert "socialaccount/authentication_error.html" in [t.name for t in answer.templates]
    assert client.session.get("_auth_user_id") is None


def test_without_a_saml_provider_its_routes_are_not_found(client, db):
    for suffix in ("login/", "sls/", "metadata/"):
        assert client.get(f"/accounts/saml/idp999/{suffix}").status_code == 404
        assert client.post(f"/accounts/saml/idp999/{suffix}").status_code == 404
    # the assertion consumer passes the browser on to its finish, which finds no provider
    assert client.get("/accounts/saml/idp999/acs/").status_code == 302
    assert client.post("/accounts/saml/idp999/acs/").status_code == 302
    assert client.get("/accounts/saml/idp999/acs/finish/").status_code == 404
