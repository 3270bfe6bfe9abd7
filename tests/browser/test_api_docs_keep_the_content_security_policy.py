"""The HR API's docs (/api/docs/, Swagger UI from drf-spectacular-sidecar) render under the
production content security policy without a violation and without the internet."""

import pytest

from lms.security import CONTENT_SECURITY_POLICY

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_api_docs_render_under_the_policy(page, live_server, settings):
    settings.CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY
    violations, elsewhere = [], []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.on(
        "request",
        lambda request: (
            None if request.url.startswith(live_server.url) else elsewhere.append(request.url)
        ),
    )
    page.goto(f"{live_server.url}/api/docs/")
    page.locator("text=/api/v1/roster/").first.wait_for()
    page.wait_for_load_state("networkidle")
    assert violations == []
    assert elsewhere == []
