"""Money: integer minor units (cents) inside, decimal strings with two places on the wire."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENTS = Decimal("0.01")


def to_cents(amount: str | int | float | Decimal) -> int:
    """Cents from a decimal amount ("12.34", 12.34, 12). Raises ValueError for more than two places."""
    try:
        value = Decimal(str(amount))
    except InvalidOperation as exc:
        raise ValueError(f"'{amount}' is not an amount of money") from exc
    if not value.is_finite():
        raise ValueError(f"'{amount}' is not an amount of money")
    cents = value * 100
    if cents != cents.to_integral_value():
        raise ValueError(f"'{amount}' has more than two decimal places")
    return int(cents)


def format_cents(cents: int) -> str:
    """'12.34' for 1234 cents (always two places, '-' for negative amounts)."""
    return str((Decimal(cents) / 100).quantize(CENTS, rounding=ROUND_HALF_UP))
