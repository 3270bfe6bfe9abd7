"""The test SAML IdP is a real one: python3-saml (what allauth's SAML provider runs on), set up as
an SP trusting the IdP's certificate, accepts its answers, and refuses the bad ones for the
reason each knob stands for. Everything goes over HTTP to the IdP's own server."""

from __future__ import annotations

import re
import urllib.parse
import urllib.request
from html import unescape
from typing import Any

import pytest

from tests.sso_idp.conftest import needs_xmlsec1
from tests.sso_idp.saml_idp import SamlIdp

pytestmark = needs_xmlsec1

SP_HOST = "sp.example.test"
SP_ENTITY_ID = f"http://{SP_HOST}/saml/metadata/"
ACS_PATH = "/saml/acs/"


def sp_settings(idp: SamlIdp, x509cert: str | None = None) -> dict[str, Any]:
    return {
        "strict": True,
        "debug": False,
        "sp": {
            "entityId": SP_ENTITY_ID,
            "assertionConsumerService": {
                "url": f"http://{SP_HOST}{ACS_PATH}",
                "binding": "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST",
            },
            "NameIDFormat": "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress",
        },
        "idp": {
            "entityId": idp.entity_id,
            "singleSignOnService": {
                "url": idp.sso_url,
                "binding": "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect",
            },
            "x509cert": x509cert or idp.x509cert,
        },
        # As allauth sets it up (socialaccount/providers/saml/utils.py): SHA-1 refused.
        "security": {
            "wantAssertionsSigned": True,
            "wantMessagesSigned": False,
            "rejectDeprecatedAlgorithm": True,
        },
    }


def sp_auth(idp: SamlIdp, post: dict[str, str] | None = None, x509cert: str | None = None):
    from onelogin.saml2.auth import OneLogin_Saml2_Auth

    request = {
        "https": "off",
        "http_host": SP_HOST,
        "script_name": ACS_PATH,
        "get_data": {},
        "post_data": post or {},
    }
    return OneLogin_Saml2_Auth(request, sp_settings(idp, x509cert))


def http_get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode()


def http_post(url: str, fields: dict[str, str]) -> str:
    data = urllib.parse.urlencode(fields).encode()
    with urllib.request.urlopen(url, data=data, timeout=10) as response:
        return response.read().decode()


def form_fields(page: str) -> tuple[str, dict[str, str]]:
    action = re.search(r'<form[^>]*action="([^"]+)"', page)
    assert action is not None, page
    fields = {
        name: unescape(value)
        for name, value in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page)
    }
    return unescape(action.group(1)), fields


def sign_in(idp: SamlIdp) -> tuple[str, str, dict[str, str]]:
    """The SP sends the browser to the IdP; returns the request id and the IdP's POST."""
    auth = sp_auth(idp)
    login_url = auth.login(return_to="/after/")
    assert login_url.startswith(idp.sso_url + "?")
    action, fields = form_fields(http_get(login_url))
    return auth.get_last_request_id(), action, fields


def acs(idp: SamlIdp, request_id: str | None, fields: dict[str, str], x509cert: str | None = None):
    auth = sp_auth(idp, post=fields, x509cert=x509cert)
    auth.process_response(request_id=request_id)
    return auth


def test_metadata_is_served_and_names_the_signing_certificate(saml_idp):
    metadata = http_get(saml_idp.metadata_url)
    assert metadata == saml_idp.metadata_xml
    assert f'entityID="{saml_idp.entity_id}"' in metadata
    assert saml_idp.x509cert in metadata.replace("\n", "")
    assert saml_idp.sso_url in metadata

    from onelogin.saml2.idp_metadata_parser import OneLogin_Saml2_IdPMetadataParser

    parsed = OneLogin_Saml2_IdPMetadataParser.parse(metadata)["idp"]
    assert parsed["entityId"] == saml_idp.entity_id
    assert parsed["singleSignOnService"]["url"] == saml_idp.sso_url
    assert parsed["x509cert"] == saml_idp.x509cert


def test_a_configured_person_is_signed_in_and_the_sp_accepts_the_signed_assertion(saml_idp):
    saml_idp.set_user(email="wang.fang@example.cn", employee_number="E-0042")
    request_id, action, fields = sign_in(saml_idp)
    assert action == f"http://{SP_HOST}{ACS_PATH}"
    assert fields["RelayState"] == "/after/"

    auth = acs(saml_idp, request_id, fields)
    assert auth.get_errors() == [], auth.get_last_error_reason()
    assert auth.is_authenticated()
    assert auth.get_nameid() == "wang.fang@example.cn"
    attributes = auth.get_attributes()
    assert attributes["email"] == ["wang.fang@example.cn"]
    assert attributes["employee_number"] == ["E-0042"]
    assert auth.get_last_response_in_response_to() == request_id
    # The assertion is the signed part (what allauth's SP wants), not the envelope.
    xml = saml_idp.responses[-1].xml()
    assert "xmldsig-more#rsa-sha256" in xml and "xmlenc#sha256" in xml
    assert re.search(r"<(\w+:)?Assertion\b.*<(\w+:)?Signature\b", xml, re.S)
    assert auth.get_last_assertion_id() == saml_idp.responses[-1].assertion_id


def test_without_a_configured_person_the_idp_asks_and_asserts_what_was_entered(saml_idp):
    saml_idp.set_user(None)
    auth = sp_auth(saml_idp)
    page = http_get(auth.login())
    assert "name='email'" in page and "name='employee_number'" in page
    hidden = dict(re.findall(r"name='(SAMLRequest|RelayState)' value='([^']*)'", page))
    answer = http_post(
        f"{saml_idp.base_url}/sso/login",
        {
            **{k: unescape(v) for k, v in hidden.items()},
            "email": "li.lei@example.cn",
            "employee_number": "E-7",
        },
    )
    _, fields = form_fields(answer)
    checked = acs(saml_idp, auth.get_last_request_id(), fields)
    assert checked.get_errors() == [], checked.get_last_error_reason()
    assert checked.get_attributes()["employee_number"] == ["E-7"]
    assert checked.get_nameid() == "li.lei@example.cn"


def test_an_assertion_signed_with_another_key_is_refused(saml_idp):
    saml_idp.set_user(email="wang.fang@example.cn", employee_number="E-0042")
    saml_idp.mode = "bad_signature"
    request_id, _, fields = sign_in(saml_idp)
    auth = acs(saml_idp, request_id, fields)
    assert not auth.is_authenticated()
    assert auth.get_errors() == ["invalid_response"]
    assert auth.get_last_error_reason() == "Signature validation failed. SAML Response rejected"


def test_the_bad_signature_is_the_keys_fault_not_the_documents(saml_idp):
    """The same bad-signature answer validates against the key it was really signed with, so the
    refusal above is about trust, not a malformed document."""
    saml_idp.set_user(email="wang.fang@example.cn")
    saml_idp.mode = "bad_signature"
    request_id, _, fields = sign_in(saml_idp)
    rogue_cert = (saml_idp.workdir / "rogue-cert.pem").read_text()
    auth = acs(saml_idp, request_id, fields, x509cert=rogue_cert)
    assert auth.get_errors() == [], auth.get_last_error_reason()


def test_an_expired_assertion_is_refused(saml_idp):
    saml_idp.set_user(email="wang.fang@example.cn", employee_number="E-0042")
    saml_idp.mode = "expired"
    request_id, _, fields = sign_in(saml_idp)
    auth = acs(saml_idp, request_id, fields)
    assert not auth.is_authenticated()
    assert auth.get_errors() == ["invalid_response"]
    assert "expired" in auth.get_last_error_reason().lower()


def test_a_replay_posts_the_very_same_assertion_again(saml_idp):
    """The harness keeps what it sent, so a test can POST it twice. python3-saml alone keeps no
    memory and accepts the copy: refusing the replay is the SP's part (allauth matches
    InResponseTo to a stashed state it pops; ours may remember assertion ids)."""
    saml_idp.set_user(email="wang.fang@example.cn", employee_number="E-0042")
    request_id, _, fields = sign_in(saml_idp)
    post = saml_idp.responses[-1]
    assert post.form_fields() == fields
    first = acs(saml_idp, request_id, post.form_fields())
    second = acs(saml_idp, request_id, post.form_fields())
    assert first.get_last_assertion_id() == second.get_last_assertion_id() == post.assertion_id
    assert second.is_authenticated()


def test_an_unknown_mode_is_an_error_the_test_reads(saml_idp):
    saml_idp.set_user(email="wang.fang@example.cn")
    saml_idp.mode = "sloppy"
    auth = sp_auth(saml_idp)
    with pytest.raises(urllib.error.HTTPError) as refused:
        http_get(auth.login())
    assert refused.value.code == 400
    assert "mode must be one of" in refused.value.read().decode()
