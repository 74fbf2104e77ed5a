"""Parsing of resource quantities as users write them ("0.5", "500m", "512Mi", "1Gi")."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

_BINARY = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40}
_DECIMAL = {"": 1, "k": 10**3, "K": 10**3, "M": 10**6, "G": 10**9, "T": 10**12}
_QUANTITY = re.compile(r"^(?P<num>\d+(?:\.\d+)?)(?P<unit>Ki|Mi|Gi|Ti|k|K|M|G|T)?$")
_CPU = re.compile(r"^(?P<num>\d+(?:\.\d+)?)(?P<milli>m)?$")


def parse_bytes(value: object) -> int:
    """Bytes from 512Mi / 1Gi / 1G / 1048576. Raises ValueError with a message for people."""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise ValueError("must be a quantity such as '512Mi', '1Gi' or a number of bytes")
    text = str(value).strip()
    match = _QUANTITY.match(text)
    if not match:
        raise ValueError(f"'{text}' is not a quantity; use e.g. '512Mi', '1Gi' or a number of bytes")
    unit = match.group("unit") or ""
    factor = _BINARY.get(unit) or _DECIMAL[unit]
    amount = Decimal(match.group("num")) * factor
    if amount != amount.to_integral_value():
        raise ValueError(f"'{text}' is not a whole number of bytes")
    return int(amount)


def parse_cpu_millis(value: object) -> int:
    """Millicores from 0.5 / "0.5" / "500m" / 2, rounded to the nearest millicore.

    Raises ValueError with a message for people; the range (see containers.entities) is the domain's.
    """
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise ValueError("must be a number of cores such as '0.5' or millicores such as '500m'")
    text = format(Decimal(repr(value)), "f") if isinstance(value, float) else str(value).strip()
    match = _CPU.match(text)
    if not match:
        raise ValueError(f"'{text}' is not a CPU amount; use e.g. '0.5' (cores) or '500m' (millicores)")
    try:
        number = Decimal(match.group("num"))
    except InvalidOperation as exc:  # pragma: no cover - the regex admits only decimals
        raise ValueError(f"'{text}' is not a number") from exc
    millis = number if match.group("milli") else number * 1000
    return int(millis.to_integral_value(rounding=ROUND_HALF_UP))


def format_cpu(millis: int) -> str:
    """0.5 cores for 500 millicores, as the seed writes it."""
    return (
        format(Decimal(millis) / 1000, "f").rstrip("0").rstrip(".") if millis % 1000 else str(millis // 1000)
    )


def format_bytes(amount: int) -> str:
    """The largest binary unit that divides evenly: 512Mi, 1Gi, else plain bytes."""
    for unit in ("Ti", "Gi", "Mi", "Ki"):
        if amount and amount % _BINARY[unit] == 0:
            return f"{amount // _BINARY[unit]}{unit}"
    return str(amount)
