"""A fixed-window per-IP limit on the public verification pages, kept in Django's cache."""

import time

from django.conf import settings
from django.core.cache import cache

from lms.audit.context import client_ip

WINDOW_SECONDS = 60


def limit_per_minute() -> int:
    # Generous: a company's auditors behind one NAT address check many certificates in a row.
    return getattr(settings, "CERTIFICATE_VERIFY_RATE_PER_MINUTE", 60)


def verification_allowed(request) -> bool:
    """Count this request against its address; False once the minute's allowance is used."""
    window = int(time.time() // WINDOW_SECONDS)
    key = f"certificates:verify:{client_ip(request) or 'unknown'}:{window}"
    if cache.add(key, 1, timeout=WINDOW_SECONDS * 2):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=WINDOW_SECONDS * 2)
        return True
    return count <= limit_per_minute()
