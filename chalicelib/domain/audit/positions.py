"""Positions in a time-ordered trail: ULID bounds of a moment, and the id just before another.

An entry's id is a ULID (48-bit milliseconds, then 80 random bits, Crockford base32), so "entries between two
moments" is a key range, and a page's cursor is simply the id to continue below.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
ULID_PATTERN = r"^[0-7][0-9A-HJKMNP-TV-Z]{25}$"
_ULID = re.compile(ULID_PATTERN)
_RANDOM_BITS = 80


def _encode(value: int) -> str:
    chars = []
    for _ in range(26):
        chars.append(_CROCKFORD[value & 31])
        value >>= 5
    return "".join(reversed(chars))


def _decode(ulid: str) -> int:
    value = 0
    for char in ulid:
        value = value * 32 + _CROCKFORD.index(char)
    return value


def is_ulid(text: str) -> bool:
    return bool(_ULID.match(text))


def _millis(moment: datetime) -> int:
    return max(0, int(moment.timestamp() * 1000))


def floor_id(moment: datetime) -> str:
    """The smallest id of `moment`'s millisecond."""
    return _encode(_millis(moment) << _RANDOM_BITS)


def ceiling_id(moment: datetime) -> str:
    """The largest id of `moment`'s millisecond."""
    return _encode((_millis(moment) << _RANDOM_BITS) | ((1 << _RANDOM_BITS) - 1))


def id_before(ulid: str) -> str:
    """The id immediately below `ulid` (a range's inclusive upper bound that leaves `ulid` out)."""
    return _encode(max(0, _decode(ulid) - 1))


def time_of(ulid: str) -> datetime:
    return datetime.fromtimestamp((_decode(ulid) >> _RANDOM_BITS) / 1000, UTC)
