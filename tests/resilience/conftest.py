import socket

import pytest
from django.test import override_settings


@pytest.fixture
def closed_port():
    """A port on 127.0.0.1 nothing listens on: connecting to it is refused, for real."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return port


@pytest.fixture
def redis_down(closed_port):
    """The cache and the broker point at the closed port: Redis is down."""
    url = f"redis://127.0.0.1:{closed_port}/0"
    with override_settings(
        CACHES={
            "default": {
                "BACKEND": "lms.resilience.cache.DegradingRedisCache",
                "LOCATION": url,
                "KEY_PREFIX": "hegui-redis-down",
                "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1},
            }
        },
        CELERY_BROKER_URL=url,
    ):
        yield url
