"""A real SAML 2.0 identity provider for tests, built on pysaml2's ``saml2.server.Server``.

It runs as a small WSGI app on its own HTTP server (a thread of the test process, on a free
127.0.0.1 port), with a key and a self-signed certificate made at start-up, and speaks the Web
Browser SSO profile as an enterprise IdP would: it takes an AuthnRequest by HTTP-Redirect, signs
the person in (a tiny form, or at once for a configured person) and answers with a Response whose
assertion is signed, carried by an auto-submitting HTTP-POST form to the SP's Assertion Consumer
Service. Signing is done by pysaml2 through Debian's ``xmlsec1`` command.

Fixture API (``tests/sso_idp/conftest.py``; import ``saml_idp`` into another conftest to use it
elsewhere, e.g. ``from tests.sso_idp.conftest import saml_idp  # noqa: F401``)::

    def test_x(saml_idp):             # one IdP per test, stopped afterwards
        saml_idp.entity_id            # "http://127.0.0.1:PORT/metadata"
        saml_idp.sso_url              # "http://127.0.0.1:PORT/sso/redirect" (HTTP-Redirect binding)
        saml_idp.metadata_url         # "http://127.0.0.1:PORT/metadata" (serves the IdP metadata XML)
        saml_idp.metadata_xml         # the same XML, as a str
        saml_idp.x509cert             # signing certificate: PEM body, no BEGIN/END lines, one line
        saml_idp.set_user(email="a@b.cn", employee_number="E001")  # signs this person in at once
        saml_idp.set_user(None)       # no one: the IdP shows its login form (e-mail + 工号)
        saml_idp.mode = "ok"          # or "bad_signature": signed with another key than x509cert's
                                      # or "expired": assertion NotOnOrAfter 10 minutes ago
        saml_idp.register_sp(metadata_xml)  # optional: the SP's metadata (needed if it signs requests)
        saml_idp.responses            # every answer sent, oldest first, as SamlPost:
        post = saml_idp.responses[-1] #   .acs_url, .saml_response (base64, as posted),
                                      #   .relay_state, .assertion_id, .form_html
        post.form_fields()            # {"SAMLResponse": ..., "RelayState": ...}: POST them again
                                      # to post.acs_url to replay the same assertion

Attributes asserted (Basic name format, names as they are): ``email``, ``employee_number`` and
``uid`` (the e-mail); the NameID is the e-mail (format emailAddress). An SP maps them, e.g.
allauth's SAML app settings ``"attribute_mapping": {"uid": "uid", "email": "email"}``.

Without a registered SP metadata, the IdP trusts the AssertionConsumerServiceURL and Issuer
named in the (unsigned) AuthnRequest, which is what allauth sends by default.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import re
import shutil
import threading
from dataclasses import dataclass, field
from pathlib import Path
from socketserver import ThreadingMixIn
from typing import Any
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

MODES = ("ok", "bad_signature", "expired")
ATTRIBUTES = ("email", "employee_number", "uid")


def xmlsec1_path() -> str | None:
    """Debian's xmlsec1 command, which pysaml2 signs with (None when it is not installed)."""
    return shutil.which("xmlsec1")


def make_key_and_cert(common_name: str) -> tuple[bytes, bytes]:
    """A 2048-bit RSA key and a self-signed certificate for it, both PEM."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    )
    return key_pem, cert.public_bytes(serialization.Encoding.PEM)


def pem_body(cert_pem: bytes) -> str:
    """The base64 body of a PEM certificate on one line, as SAML settings and metadata want it."""
    lines = cert_pem.decode().strip().splitlines()
    return "".join(line for line in lines if not line.startswith("-----"))


@dataclass
class SamlPost:
    """One answer the IdP sent to an SP: what the browser POSTs to the ACS."""

    acs_url: str
    saml_response: str
    relay_state: str
    assertion_id: str
    form_html: str

    def form_fields(self) -> dict[str, str]:
        fields = {"SAMLResponse": self.saml_response}
        if self.relay_state:
            fields["RelayState"] = self.relay_state
        return fields

    def xml(self) -> str:
        return base64.b64decode(self.saml_response).decode()


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


@dataclass
class SamlIdp:
    """The IdP; ``start()`` serves it, ``stop()`` ends it. See the module docstring."""

    workdir: Path
    mode: str = "ok"
    user: dict[str, str] | None = None
    responses: list[SamlPost] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.workdir.mkdir(parents=True, exist_ok=True)
        self._httpd = make_server(
            "127.0.0.1",
            0,
            self.wsgi,
            server_class=_ThreadingWSGIServer,
            handler_class=_QuietHandler,
        )
        port = self._httpd.server_address[1]
        self.base_url = f"http://127.0.0.1:{port}"
        self.entity_id = f"{self.base_url}/metadata"
        self.metadata_url = f"{self.base_url}/metadata"
        self.sso_url = f"{self.base_url}/sso/redirect"
        self._login_url = f"{self.base_url}/sso/login"
        self._sp_metadata: list[str] = []
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        good_key, good_cert = make_key_and_cert("hegui-test-idp")
        rogue_key, rogue_cert = make_key_and_cert("hegui-test-idp")  # same name, another key
        self.x509cert = pem_body(good_cert)
        self.cert_pem = good_cert.decode()
        paths = {}
        for label, pem in {
            "key.pem": good_key,
            "cert.pem": good_cert,
            "rogue-key.pem": rogue_key,
            "rogue-cert.pem": rogue_cert,
        }.items():
            path = self.workdir / label
            path.write_bytes(pem)
            paths[label] = str(path)
        self._servers = {
            "ok": self._server(paths["key.pem"], paths["cert.pem"], lifetime_minutes=15),
            "bad_signature": self._server(
                paths["rogue-key.pem"], paths["rogue-cert.pem"], lifetime_minutes=15
            ),
            "expired": self._server(paths["key.pem"], paths["cert.pem"], lifetime_minutes=-10),
        }
        self.metadata_xml = self._metadata(paths["key.pem"], paths["cert.pem"])

    # -- set-up ---------------------------------------------------------------------------------

    def _config(self, key_file: str, cert_file: str, lifetime_minutes: int) -> dict[str, Any]:
        from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
        from saml2.saml import NAME_FORMAT_BASIC

        return {
            "entityid": self.entity_id,
            "xmlsec_binary": xmlsec1_path(),
            "key_file": key_file,
            "cert_file": cert_file,
            "service": {
                "idp": {
                    "name": "Hegui test IdP",
                    "endpoints": {
                        "single_sign_on_service": [
                            (self.sso_url, BINDING_HTTP_REDIRECT),
                            (f"{self.base_url}/sso/post", BINDING_HTTP_POST),
                        ],
                    },
                    "want_authn_requests_signed": False,
                    "sign_response": False,
                    "sign_assertion": True,
                    "policy": {
                        "default": {
                            "lifetime": {"minutes": lifetime_minutes},
                            "attribute_restrictions": None,
                            "name_form": NAME_FORMAT_BASIC,
                        },
                    },
                    "name_id_format": ["urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"],
                },
            },
            "metadata": {},
            "attribute_map_dir": str(self._attribute_maps()),
            "allow_unknown_attributes": True,
        }

    def _attribute_maps(self) -> Path:
        """Attribute names sent as they are (Basic format), not pysaml2's default urn:mace ones."""
        folder = self.workdir / "attributemaps"
        if not folder.exists():
            folder.mkdir()
            (folder / "__init__.py").write_text("")
            names = {name: name for name in ATTRIBUTES}
            (folder / "basic.py").write_text(
                "MAP = {\n"
                "    'identifier': 'urn:oasis:names:tc:SAML:2.0:attrname-format:basic',\n"
                f"    'fro': {names!r},\n"
                f"    'to': {names!r},\n"
                "}\n"
            )
        return folder

    def _server(self, key_file: str, cert_file: str, lifetime_minutes: int) -> Any:
        from saml2.config import IdPConfig
        from saml2.server import Server

        config = IdPConfig()
        config.load(self._config(key_file, cert_file, lifetime_minutes))
        return Server(config=config)

    def _metadata(self, key_file: str, cert_file: str) -> str:
        from saml2.config import IdPConfig
        from saml2.metadata import entity_descriptor

        config = IdPConfig()
        config.load(self._config(key_file, cert_file, 15))
        return str(entity_descriptor(config))

    def register_sp(self, metadata_xml: str) -> None:
        """Load an SP's metadata into every signing server (for signed requests, ACS checks)."""
        with self._lock:
            self._sp_metadata.append(metadata_xml)
            for server in self._servers.values():
                server.metadata.load("inline", metadata_xml)

    def set_user(self, email: str | None = None, employee_number: str = "") -> None:
        """Who the IdP signs in without asking; ``None`` shows the login form instead."""
        self.user = None if email is None else {"email": email, "employee_number": employee_number}

    def start(self) -> SamlIdp:
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, name="saml-idp", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    # -- the protocol ---------------------------------------------------------------------------

    def answer(self, saml_request: str, relay_state: str, user: dict[str, str]) -> SamlPost:
        """Parse a (redirect-bound) AuthnRequest and make the signed Response for ``user``."""
        from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
        from saml2.saml import NAMEID_FORMAT_EMAILADDRESS, NameID
        from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

        if self.mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}, not {self.mode!r}")
        server = self._servers[self.mode]
        request = server.parse_authn_request(saml_request, BINDING_HTTP_REDIRECT).message
        acs_url = request.assertion_consumer_service_url
        if not acs_url:
            acs_url = server.response_args(request, [BINDING_HTTP_POST])["destination"]
        sp_entity_id = request.issuer.text
        identity = {
            "email": [user["email"]],
            "employee_number": [user.get("employee_number", "")],
            "uid": [user["email"]],
        }
        response = server.create_authn_response(
            identity,
            in_response_to=request.id,
            destination=acs_url,
            sp_entity_id=sp_entity_id,
            name_id=NameID(format=NAMEID_FORMAT_EMAILADDRESS, text=user["email"]),
            authn={
                "class_ref": "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"
            },
            sign_assertion=True,
            sign_response=False,
            best_effort=True,
            # SHA-256: allauth's SP refuses the deprecated SHA-1 that pysaml2 uses by default.
            sign_alg=SIG_RSA_SHA256,
            digest_alg=DIGEST_SHA256,
        )
        xml = str(response)
        assertion_id = re.search(r"<(?:\w+:)?Assertion\b[^>]*\bID=\"([^\"]+)\"", xml)
        http = server.apply_binding(
            BINDING_HTTP_POST, xml, destination=acs_url, relay_state=relay_state, response=True
        )
        form_html = http["data"]
        saml_response = re.search(r'name="SAMLResponse" value="([^"]+)"', form_html)
        assert saml_response is not None, form_html
        post = SamlPost(
            acs_url=acs_url,
            saml_response=html.unescape(saml_response.group(1)),
            relay_state=relay_state,
            assertion_id=assertion_id.group(1) if assertion_id else "",
            form_html=form_html,
        )
        with self._lock:
            self.responses.append(post)
        return post

    # -- HTTP -----------------------------------------------------------------------------------

    def wsgi(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        path = environ.get("PATH_INFO", "")
        method = environ.get("REQUEST_METHOD", "GET")
        try:
            if path == "/metadata":
                return _reply(start_response, "200 OK", self.metadata_xml, "application/xml")
            if path == "/sso/redirect" and method == "GET":
                params = _first(parse_qs(environ.get("QUERY_STRING", "")))
                return self._sso(start_response, params)
            if path == "/sso/login" and method == "POST":
                size = int(environ.get("CONTENT_LENGTH") or 0)
                params = _first(parse_qs(environ["wsgi.input"].read(size).decode()))
                return self._sso(start_response, params)
        except Exception as exc:  # the test reads the reason in the page
            return _reply(start_response, "400 Bad Request", f"SAML IdP error: {exc!r}")
        return _reply(start_response, "404 Not Found", "not found")

    def _sso(self, start_response: Any, params: dict[str, str]) -> list[bytes]:
        saml_request = params.get("SAMLRequest", "")
        relay_state = params.get("RelayState", "")
        if not saml_request:
            return _reply(start_response, "400 Bad Request", "no SAMLRequest")
        user = self.user
        if params.get("email"):
            user = {"email": params["email"], "employee_number": params.get("employee_number", "")}
        if user is None:
            return _reply(start_response, "200 OK", self._login_form(saml_request, relay_state))
        post = self.answer(saml_request, relay_state, user)
        return _reply(start_response, "200 OK", post.form_html)

    def _login_form(self, saml_request: str, relay_state: str) -> str:
        esc = html.escape
        return (
            "<!doctype html><html><head><meta charset='utf-8'><title>Test IdP sign-in</title>"
            "</head><body><h1>Test IdP</h1>"
            f"<form method='post' action='{esc(self._login_url)}'>"
            f"<input type='hidden' name='SAMLRequest' value='{esc(saml_request)}'>"
            f"<input type='hidden' name='RelayState' value='{esc(relay_state)}'>"
            "<label>E-mail <input name='email' type='email' required></label>"
            "<label>Employee number <input name='employee_number'></label>"
            "<button type='submit'>Sign in</button></form></body></html>"
        )


def _first(params: dict[str, list[str]]) -> dict[str, str]:
    return {key: values[0] for key, values in params.items()}


def _reply(
    start_response: Any, status: str, body: str, content_type: str = "text/html"
) -> list[bytes]:
    data = body.encode()
    start_response(
        status,
        [("Content-Type", f"{content_type}; charset=utf-8"), ("Content-Length", str(len(data)))],
    )
    return [data]
