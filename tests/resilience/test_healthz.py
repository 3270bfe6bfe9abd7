"""/healthz reports each dependency and answers 503 when one is down."""

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db


def test_all_dependencies_up_is_200_with_each_named(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert {name: check["ok"] for name, check in body["checks"].items()} == {
        "database": True,
        "cache": True,
        "broker": True,
    }
    assert body["outbox_waiting"] == 0


def test_redis_down_is_503_naming_the_cache_and_the_broker(client, redis_down):
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "degraded"
    assert body["checks"]["database"] == {"ok": True}
    assert body["checks"]["cache"]["ok"] is False
    assert body["checks"]["broker"]["ok"] is False


def test_broker_down_alone_is_503(client, closed_port):
    with override_settings(
        CELERY_BROKER_URL=f"redis://127.0.0.1:{closed_port}/0", CELERY_TASK_ALWAYS_EAGER=False
    ):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["broker"]["ok"] is False
    assert response.json()["checks"]["cache"]["ok"] is True
