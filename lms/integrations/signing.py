"""Webhook signatures, without the database.

A delivery carries `X-Hegui-Signature: t=<unix seconds>,v1=<hex>` where the hex is
HMAC-SHA256 of `"<t>." + body` under the endpoint's secret. A receiver recomputes it, compares
in constant time and refuses a timestamp too far from its clock (a replayed delivery)."""

import hashlib
import hmac
import secrets

HEADER = "X-Hegui-Signature"
TOLERANCE_SECONDS = 300


def secret_new() -> str:
    return "whsec_" + secrets.token_hex(24)


def signature(*, secret: str, timestamp: int, body: bytes) -> str:
    message = f"{timestamp}.".encode() + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signature_header(*, secret: str, timestamp: int, body: bytes) -> str:
    return f"t={timestamp},v1={signature(secret=secret, timestamp=timestamp, body=body)}"


def signature_valid(
    *, secret: str, header: str, body: bytes, now: int, tolerance: int = TOLERANCE_SECONDS
) -> bool:
    parts = dict(p.split("=", 1) for p in header.split(",") if "=" in p)
    try:
        timestamp = int(parts.get("t", ""))
    except ValueError:
        return False
    if abs(now - timestamp) > tolerance:
        return False
    expected = signature(secret=secret, timestamp=timestamp, body=body)
    return hmac.compare_digest(expected, parts.get("v1", ""))


def backoff_seconds(attempt: int, *, base: int = 30, cap: int = 3600) -> int:
    """How long to wait after the `attempt`-th failed try (1, 2, …): doubling from `base`."""
    return min(cap, base * 2 ** max(0, attempt - 1))
