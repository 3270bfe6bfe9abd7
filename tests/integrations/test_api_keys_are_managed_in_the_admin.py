"""The compliance head makes, lists and revokes the organisation's API keys in the admin: the
key is shown once and stored only as a prefix and a hash; nobody outside the organisation's
administrators sees or touches them."""

import hashlib

import pytest

from lms.audit.models import AuditEntry
from lms.integrations.models import ApiKey, WebhookEndpoint
from tests.integrations.conftest import auth

pytestmark = pytest.mark.django_db
INDEX = "/admin/hr-api/"


def test_a_head_makes_a_key_sees_it_once_and_uses_it(client, org, head):
    client.force_login(head)
    assert client.get(INDEX).status_code == 200
    response = client.post(
        INDEX + "keys/new/", {"organisation": org.pk, "name": "北森 HR", "scope": "read"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    api_key = ApiKey.objects.get(organisation=org)
    start = page.index("hg_" + api_key.prefix)
    raw = page[start : page.index("<", start)]
    assert api_key.key_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in str(list(ApiKey.objects.values()))
    assert raw not in client.get(INDEX).content.decode()
    assert api_key.prefix in client.get(INDEX).content.decode()
    assert client.get("/api/v1/results/", **auth(raw)).status_code == 200
    assert AuditEntry.objects.filter(action="integrations.key_create").exists()

    client.post(INDEX + f"keys/{api_key.pk}/revoke/")
    api_key.refresh_from_db()
    assert api_key.revoked_at is not None
    assert client.get("/api/v1/results/", **auth(raw)).status_code == 401
    assert AuditEntry.objects.filter(action="integrations.key_revoke").exists()


def test_a_head_adds_a_webhook_and_a_bad_address_is_refused(client, org, head):
    client.force_login(head)
    refused = client.post(
        INDEX + "webhooks/new/",
        {"organisation": org.pk, "url": "file:///etc/passwd", "events": ["exam.finalised"]},
    )
    assert refused.status_code == 200
    assert not WebhookEndpoint.objects.exists()
    added = client.post(
        INDEX + "webhooks/new/",
        {"organisation": org.pk, "url": "https://hr.example.cn/hook", "events": ["year.closed"]},
    )
    endpoint = WebhookEndpoint.objects.get()
    assert added.status_code == 302 and endpoint.events == ["year.closed"]
    client.post(INDEX + f"webhooks/{endpoint.pk}/toggle/")
    endpoint.refresh_from_db()
    assert endpoint.is_active is False


def test_others_neither_see_nor_touch_the_keys(client, org, head, other_head, learner, read_key):
    api_key = ApiKey.objects.get(organisation=org)
    client.force_login(other_head)
    assert api_key.prefix not in client.get(INDEX).content.decode()
    assert client.post(INDEX + f"keys/{api_key.pk}/revoke/").status_code == 404
    refused = client.post(
        INDEX + "keys/new/", {"organisation": org.pk, "name": "x", "scope": "write"}
    )
    assert refused.status_code == 200 and ApiKey.objects.filter(organisation=org).count() == 1
    client.force_login(learner)
    assert client.get(INDEX).status_code in (302, 403)
    assert client.post(INDEX + f"keys/{api_key.pk}/revoke/").status_code in (302, 403, 404)
    api_key.refresh_from_db()
    assert api_key.revoked_at is None
