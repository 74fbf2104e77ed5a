"""Identifiers: random, never sequential. ULIDs where lists should come back in creation order."""

from __future__ import annotations

import secrets
import threading
import time

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_ulids(count: int, now_ms: int | None = None) -> list[str]:
    """`count` ULIDs of the same millisecond in increasing order (entries written together list in order)."""
    first = new_ulid(now_ms)
    value = 0
    for char in first:
        value = value * 32 + _CROCKFORD.index(char)
    return [_encode(value + i) for i in range(count)]


def _encode(value: int) -> str:
    chars = []
    for _ in range(26):
        chars.append(_CROCKFORD[value & 31])
        value >>= 5
    return "".join(reversed(chars))


def new_ulid(now_ms: int | None = None) -> str:
    """26-character ULID: 48-bit millisecond time then 80 random bits, Crockford base32.

    Sorts by creation time (to the millisecond) yet cannot be guessed or enumerated.
    """
    millis = int(time.time() * 1000) if now_ms is None else now_ms
    value = (millis << 80) | secrets.randbits(80)
    chars = []
    for _ in range(26):
        chars.append(_CROCKFORD[value & 31])
        value >>= 5
    return "".join(reversed(chars))


_last_ulid = [0]
_ulid_lock = threading.Lock()


def monotonic_ulid(now_ms: int | None = None) -> str:
    """A ULID greater than every other this process made: one of the same millisecond comes after the one
    before it (a list sorted by id shows what was made in one millisecond in the order it was made)."""
    fresh = new_ulid(now_ms)
    value = 0
    for char in fresh:
        value = value * 32 + _CROCKFORD.index(char)
    with _ulid_lock:
        value = max(value, _last_ulid[0] + 1)
        _last_ulid[0] = value
    return _encode(value)
