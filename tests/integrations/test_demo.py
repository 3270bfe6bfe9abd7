"""The demo gives 云集优选's HR system a working key (printed once, when made) and a paused
webhook endpoint; seeding again adds nothing."""

import io

import pytest

from lms.integrations import demo
from lms.integrations.models import ApiKey, WebhookEndpoint
from lms.organisations import demo as organisations_demo

pytestmark = pytest.mark.django_db


def test_the_demo_key_reads_the_roster_and_seeding_again_adds_nothing(client):
    organisations_demo.seed()
    out = io.StringIO()
    demo.seed(stdout=out)
    raw = out.getvalue().rsplit(": ", 1)[1].strip()
    assert raw.startswith("hg_")
    again = io.StringIO()
    demo.seed(stdout=again)
    assert again.getvalue() == ""  # made once, shown once
    key = ApiKey.objects.get()
    assert key.organisation.name.startswith("杭州云集") and key.scope == "write"
    endpoint = WebhookEndpoint.objects.get()
    assert not endpoint.is_active and endpoint.organisation == key.organisation
    response = client.get("/api/v1/enrolments/", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
