"""The OpenAPI schema describes the HR API (and nothing else); the docs page runs entirely from
our own static files, so it works offline and under the site's content security policy."""

import re

import pytest
import yaml
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db


def test_the_schema_describes_the_hr_api(client):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    paths = set(schema["paths"])
    assert {"/api/v1/roster/", "/api/v1/results/", "/api/v1/results/{id}/"} <= paths
    assert all(p.startswith("/api/v1/") for p in paths)
    assert schema["components"]["securitySchemes"]["ApiKey"]["scheme"] == "bearer"
    params = {p["name"] for p in schema["paths"]["/api/v1/results/"]["get"]["parameters"]}
    assert {"cursor", "page_size", "updated_since"} <= params


def test_the_docs_load_nothing_from_elsewhere(client, settings):
    from lms.security import CONTENT_SECURITY_POLICY

    settings.CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY
    response = client.get("/api/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert sources and all(s.startswith("/") for s in sources), sources
    assert "<script>" not in page  # no inline script: the initialiser is a file of its own
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    for source in sources:
        if source.startswith(settings.STATIC_URL):
            assert finders.find(source.removeprefix(settings.STATIC_URL)), source
        else:
            assert client.get(source).status_code == 200, source


def test_the_schema_describes_the_hr_api_alone():
    """Wagtail's admin API views are not documented (nor built by the deploy check's schema)."""
    from lms.integrations.schema import hr_api_only

    endpoints = [
        ("/api/v1/results/", "^api/v1/results/$", "GET", None),
        ("/admin/api/", "", "GET", None),
    ]
    assert [e[0] for e in hr_api_only(endpoints)] == ["/api/v1/results/"]
