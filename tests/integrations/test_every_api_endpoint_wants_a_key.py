"""Every HR API endpoint (every URL under /api/v1/, read from the resolver, not a list) refuses a
request without a key, with a key that is not ours, with a revoked key, and a signed-in person
without a key: 401, and nothing is read or written."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from lms.integrations import services
from lms.integrations.models import ApiKey
from tests.integrations.conftest import auth, make_key

pytestmark = pytest.mark.django_db


def api_urls() -> list[str]:
    found = []

    def walk(patterns, prefix=""):
        for p in patterns:
            route = prefix + str(p.pattern)
            if isinstance(p, URLResolver):
                walk(p.url_patterns, route)
            elif isinstance(p, URLPattern) and route.startswith("api/v1/"):
                found.append("/" + route.replace("<int:pk>", "1"))

    walk(get_resolver().url_patterns)
    return found


API_URLS = api_urls()


def test_the_api_has_the_endpoints_the_hr_system_needs():
    for expected in (
        "/api/v1/roster/",
        "/api/v1/enrolments/",
        "/api/v1/results/",
        "/api/v1/certificates/",
        "/api/v1/performance/appraisals/",
        "/api/v1/performance/ledger/",
    ):
        assert expected in API_URLS


@pytest.mark.parametrize("url", API_URLS)
def test_no_key_no_answer(client, org, head, url):
    api_key, raw = make_key(head, org)
    services.api_key_revoke(actor=head, api_key=api_key)
    bogus = "hg_" + raw[3:15] + "_" + "x" * 43
    for headers in ({}, auth("hg_000000000000_nothing"), auth(bogus), auth(raw), auth("")):
        for method in (client.get, client.post):
            response = method(url, **headers)
            assert response.status_code == 401, (url, headers, response.status_code)
            assert "WWW-Authenticate" in response
    client.force_login(head)
    assert client.get(url).status_code == 401
    assert client.post(url, {"people": []}, content_type="application/json").status_code == 401


def test_a_revoked_key_is_refused_with_a_reason(client, org, head):
    api_key, raw = make_key(head, org)
    assert client.get("/api/v1/results/", **auth(raw)).status_code == 200
    services.api_key_revoke(actor=head, api_key=api_key)
    response = client.get("/api/v1/results/", **auth(raw))
    assert response.status_code == 401
    assert ApiKey.objects.get(pk=api_key.pk).revoked_by == head


def test_calls_beyond_the_rate_are_refused_per_key(client, org, head, settings):
    settings.API_RATE_LIMIT = "3/min"
    _, first = make_key(head, org, name="一")
    _, second = make_key(head, org, name="二")
    codes = [client.get("/api/v1/results/", **auth(first)).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    assert client.get("/api/v1/results/", **auth(second)).status_code == 200
