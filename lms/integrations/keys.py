"""API keys, without the database: made, split and checked.

A key reads `hg_<prefix>_<secret>`: the prefix finds the row, the secret is never stored; the
row keeps a SHA-256 of the whole key (the secret has 256 bits of randomness, so a slow hash
adds nothing) and the check compares in constant time."""

import hashlib
import hmac
import secrets
from dataclasses import dataclass

KEY_START = "hg_"
PREFIX_BYTES = 6  # 12 hex characters: enough to be unique, short enough to show
SECRET_BYTES = 32


@dataclass(frozen=True)
class NewKey:
    prefix: str
    key: str  # shown once to the person who made it
    key_hash: str


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def key_new() -> NewKey:
    prefix = secrets.token_hex(PREFIX_BYTES)
    key = f"{KEY_START}{prefix}_{secrets.token_urlsafe(SECRET_BYTES)}"
    return NewKey(prefix=prefix, key=key, key_hash=key_hash(key))


def key_prefix(key: str) -> str | None:
    """The prefix of something that looks like a key, or None."""
    if not key.startswith(KEY_START):
        return None
    prefix, _, secret = key[len(KEY_START) :].partition("_")
    if len(prefix) != PREFIX_BYTES * 2 or not secret:
        return None
    return prefix


def key_matches(key: str, stored_hash: str) -> bool:
    return hmac.compare_digest(key_hash(key), stored_hash)
