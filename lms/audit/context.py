"""The request's actor and address, for audit entries written deep inside services."""

from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class RequestContext:
    user: Any  # the request's (lazy) user; evaluated only when an entry is written
    ip_address: str | None


current: ContextVar[RequestContext | None] = ContextVar("audit_request_context", default=None)


def client_ip(request) -> str | None:
    """The client's address. Behind TRUSTED_PROXY_COUNT reverse proxies it is the hop the
    outermost of them appended to X-Forwarded-For (earlier hops are the client's to invent);
    the same rule allauth applies to its per-address sign-in limits."""
    from django.conf import settings

    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    forwarded = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [hop for hop in forwarded if hop]
    if proxies and len(forwarded) >= proxies:
        return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR") or None
