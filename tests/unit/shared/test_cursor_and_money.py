"""Cursors are opaque and bound to one partition; money is integer cents with two places on the wire."""

from __future__ import annotations

import base64

import pytest

from chalicelib.domain.shared.errors import ValidationFailed
from chalicelib.domain.shared.money import format_cents, to_cents
from chalicelib.store.cursor import decode_cursor, encode_cursor

LEK = {"pk": {"S": "ORG#a"}, "sk": {"S": "CONTAINER#01"}}


def test_a_cursor_round_trips_in_its_own_partition() -> None:
    cursor = encode_cursor(LEK)
    assert cursor is not None and decode_cursor(cursor, "ORG#a") == LEK


@pytest.mark.parametrize(
    "cursor",
    [
        "not-base64!",
        "AAAA",
        base64.urlsafe_b64encode(b"[]").decode(),
        base64.urlsafe_b64encode(b'{"pk": {"N": "1"}}').decode(),
        base64.urlsafe_b64encode(b'{"pk": {"S": "ORG#a"}, "sk": {"M": {}}}').decode(),
        base64.urlsafe_b64encode(b"[" * 5000).decode(),
        base64.urlsafe_b64encode(b"\xff\xfe").decode(),
    ],
)
def test_a_crafted_cursor_is_a_400_never_a_crash(cursor: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        decode_cursor(cursor, "ORG#a")
    assert caught.value.details == {"field": "cursor"}


def test_another_partitions_cursor_is_refused() -> None:
    cursor = encode_cursor(LEK)
    with pytest.raises(ValidationFailed):
        decode_cursor(cursor, "ORG#b")


@pytest.mark.parametrize(("amount", "cents"), [("12.34", 1234), (12, 1200), ("0.1", 10), ("-5.00", -500)])
def test_amounts_become_cents(amount: str | int, cents: int) -> None:
    assert to_cents(amount) == cents


@pytest.mark.parametrize("amount", ["1.001", "abc", "NaN", "Infinity"])
def test_amounts_that_are_not_money_are_refused(amount: str) -> None:
    with pytest.raises(ValueError):
        to_cents(amount)


def test_cents_show_two_places() -> None:
    assert (format_cents(1234), format_cents(5), format_cents(-250)) == ("12.34", "0.05", "-2.50")
