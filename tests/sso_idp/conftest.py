"""The ``saml_idp`` fixture: a real local SAML 2.0 IdP (see saml_idp.py for its API)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.sso_idp.saml_idp import SamlIdp, xmlsec1_path

NO_XMLSEC1 = (
    "Debian's xmlsec1 command is not installed (make install / scripts/install-system-deps.sh "
    "installs it); the test SAML IdP signs with it"
)
needs_xmlsec1 = pytest.mark.skipif(xmlsec1_path() is None, reason=NO_XMLSEC1)


@pytest.fixture
def saml_idp(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SamlIdp]:
    """A started IdP on a free 127.0.0.1 port, stopped after the test."""
    if xmlsec1_path() is None:
        pytest.skip(NO_XMLSEC1)
    idp = SamlIdp(workdir=tmp_path_factory.mktemp("saml-idp")).start()
    try:
        yield idp
    finally:
        idp.stop()
