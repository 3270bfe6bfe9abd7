"""Django's Redis cache, degrading to process memory while Redis is unreachable.

Nothing on the platform keeps in the cache what only the cache knows: sessions live in
PostgreSQL, and the cache holds rate-limit histories, log throttles and request counters. So when
Redis fails, every operation is served from a local-memory stand-in of this process instead of
failing the request: the rate limits keep counting (per process), the failure is logged once
per outage and counted (`cache_degraded`, in /healthz). After a failure Redis is left alone for
RETRY_SECONDS, so a dead or silent Redis costs nothing per request; then it is tried again.
"""

import logging
import threading
import time

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

from . import metrics

logger = logging.getLogger(__name__)
RETRY_SECONDS = 5.0


class DegradingRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        fallback_params = {k: v for k, v in params.items() if k not in ("OPTIONS", "LOCATION")}
        self._fallback = LocMemCache(f"degraded-{id(self)}", fallback_params)
        self._down_until = 0.0
        self._down_since: float | None = None
        self._state_lock = threading.Lock()

    def ping(self) -> bool:
        """Ask Redis itself, bypassing the stand-in (the health check)."""
        return bool(self._cache.get_client(write=True).ping())

    def _went_down(self, operation: str, exc: Exception) -> None:
        metrics.count("cache_errors")
        with self._state_lock:
            self._down_until = time.monotonic() + RETRY_SECONDS
            first = self._down_since is None
            if first:
                self._down_since = time.monotonic()
        if first:
            logger.warning(
                "cache unreachable (%s on %s): serving from process memory, retrying every %ss",
                exc.__class__.__name__,
                operation,
                RETRY_SECONDS,
            )

    def _came_back(self) -> None:
        with self._state_lock:
            since, self._down_since = self._down_since, None
        if since is not None:
            logger.warning("cache reachable again after %.0f s", time.monotonic() - since)


def _degrading(name: str):
    on_redis = getattr(RedisCache, name)

    def operation(self, *args, **kwargs):
        if time.monotonic() >= self._down_until:
            try:
                result = on_redis(self, *args, **kwargs)
            except RedisError as exc:
                self._went_down(name, exc)
            else:
                if self._down_since is not None:
                    self._came_back()
                return result
        metrics.count("cache_degraded")
        return getattr(self._fallback, name)(*args, **kwargs)

    operation.__name__ = name
    operation.__doc__ = on_redis.__doc__
    return operation


for _name in (
    "add",
    "get",
    "set",
    "touch",
    "delete",
    "get_many",
    "has_key",
    "incr",
    "set_many",
    "delete_many",
    "clear",
):
    setattr(DegradingRedisCache, _name, _degrading(_name))
