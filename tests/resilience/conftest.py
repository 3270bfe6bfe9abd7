import socket
from contextlib import contextmanager

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


@pytest.fixture
def broker_down(closed_port):
    """Tasks go to a real broker (not in-process) at the closed port: the broker is down."""
    with broker_at(f"redis://127.0.0.1:{closed_port}/0", eager=False):
        yield


@contextmanager
def broker_at(url: str, *, eager: bool):
    from lms.celery import app

    saved = (app.conf.broker_url, app.conf.task_always_eager)
    app.conf.broker_url, app.conf.task_always_eager = url, eager
    _forget_connections(app)
    try:
        with override_settings(CELERY_BROKER_URL=url, CELERY_TASK_ALWAYS_EAGER=eager):
            yield
    finally:
        app.conf.broker_url, app.conf.task_always_eager = saved
        _forget_connections(app)


def _forget_connections(app) -> None:
    """Drop the app's pools so the next publish connects to the broker URL now configured
    (kombu keeps one pool per URL; closing it would break later users of that URL)."""
    app._pool = None
    app.amqp._producer_pool = None
