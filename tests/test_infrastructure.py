"""The real services the platform meets in production: PostgreSQL, Redis cache, Celery broker.

These run for real in CI (DATABASE_URL and REDIS_URL set) and are skipped on the zero-setup
default, where SQLite and eager Celery stand in.
"""

import os

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection

needs_redis = pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL not set")
needs_postgres = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL"), reason="DATABASE_URL not set"
)


@needs_postgres
@pytest.mark.django_db
def test_the_database_is_postgresql_when_configured():
    assert connection.vendor == "postgresql"


@needs_redis
def test_the_cache_is_redis_and_shared_between_clients():
    from django.core.cache.backends.redis import RedisCache

    assert isinstance(cache, RedisCache) or "redis" in type(cache._cache).__module__
    cache.set("hegui:test", {"n": 1}, 30)
    import redis

    raw = redis.Redis.from_url(os.environ["REDIS_URL"])
    assert any(b"hegui:test" in key for key in raw.keys("*hegui:test*"))
    assert cache.get("hegui:test") == {"n": 1}


@needs_redis
def test_a_task_goes_through_the_redis_broker_to_a_real_worker():
    from celery.contrib.testing.worker import start_worker

    from lms.celery import app
    from lms.tasks import ping

    assert settings.CELERY_BROKER_URL.startswith("redis://")
    app.conf.task_always_eager = False
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            result = ping.delay("round trip")
            assert result.get(timeout=20) == "round trip"
    finally:
        app.conf.task_always_eager = settings.CELERY_TASK_ALWAYS_EAGER


@pytest.mark.django_db
def test_health_endpoint_reports_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


# Two transactional tests in a row: the first empties every table when it ends, so the second
# sees the home page and role groups only if the suite restores what migrations created.
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("turn", ["first", "second"])
def test_transactional_tests_keep_what_migrations_created(client, turn):
    from django.contrib.auth.models import Group
    from wagtail.models import Site

    assert Site.objects.filter(is_default_site=True).exists()
    assert Group.objects.filter(name__isnull=False).count() >= 5
    assert client.get("/").status_code in (200, 302)


@needs_redis
def test_the_suite_leaves_other_programs_redis_keys_alone():
    """Clearing the cache between tests removes this run's keys only, never FLUSHDB."""
    import redis

    from tests.conftest import _clear_own_cache_keys

    raw = redis.Redis.from_url(os.environ["REDIS_URL"])
    raw.set("someone-else:keep-me", "1", ex=60)
    cache.set("ours", 1, 30)
    try:
        _clear_own_cache_keys()
        assert raw.get("someone-else:keep-me") == b"1"
        assert cache.get("ours") is None
    finally:
        raw.delete("someone-else:keep-me")
