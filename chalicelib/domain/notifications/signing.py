"""Webhook signatures: HMAC-SHA256 over "<unix time>.<body>" with the endpoint's secret.

Header: `X-ContainerStacks-Signature: t=<unix seconds>,v1=<hex digest>`. A receiver recomputes the digest over
the raw body it got, compares in constant time, and refuses timestamps far from its clock (replays).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from chalicelib.domain.notifications.entities import SECRET_PREFIX

SIGNATURE_HEADER = "X-ContainerStacks-Signature"
EVENT_HEADER = "X-ContainerStacks-Event"
DELIVERY_HEADER = "X-ContainerStacks-Delivery"
TOLERANCE_SECONDS = 300


def new_secret() -> str:
    """A fresh signing secret (256 random bits)."""
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def digest(secret: str, timestamp: int, body: bytes) -> str:
    signed = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The header value for `body` sent at `timestamp`."""
    return f"t={timestamp},v1={digest(secret, timestamp, body)}"


def verify(secret: str, header: str, body: bytes, now: int, tolerance: int = TOLERANCE_SECONDS) -> bool:
    """What a receiver does: the header's timestamp is recent and one of its v1 digests matches."""
    parts: dict[str, list[str]] = {}
    for item in header.split(","):
        key, _, value = item.strip().partition("=")
        parts.setdefault(key, []).append(value)
    try:
        timestamp = int(parts.get("t", [""])[0])
    except ValueError:
        return False
    if abs(now - timestamp) > tolerance:
        return False
    expected = digest(secret, timestamp, body)
    return any(hmac.compare_digest(expected, candidate) for candidate in parts.get("v1", []))
