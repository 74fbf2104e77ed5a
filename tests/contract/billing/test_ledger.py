"""The Ledger port, against the real repository on moto and the fake: one transaction per movement."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.domain.billing.entities import Posting
from chalicelib.domain.billing.ports import AlreadyPosted, Extras, WalletChanged
from chalicelib.domain.shared.errors import NotFound
from tests.contract.conftest import LedgerStore

NOW = datetime.now(UTC)


def posting(key: str, cents: int, reference: str | None = None, day: str | None = None) -> Posting:
    return Posting(
        key=key,
        kind="adjustment",
        amount_cents=cents,
        description=key,
        created_by="test",
        reference=reference,
        day=day,
    )


def opened(store: LedgerStore) -> str:
    org = str(uuid.uuid4())
    store.open(org)
    return org


def test_a_movement_appends_entries_and_moves_the_balance_by_their_sum(ledger_store: LedgerStore) -> None:
    org = opened(ledger_store)
    ledger = ledger_store.ledger
    entries = ledger.post(ledger.wallet(org), [posting("a", 500), posting("b", -200)], NOW, Extras())
    assert [(e.amount_cents, e.balance_after_cents) for e in entries] == [(500, 500), (-200, 300)]
    wallet = ledger.wallet(org)
    assert wallet.balance_cents == 300 and wallet.version == 1


def test_a_key_applies_once_however_late_the_retry(ledger_store: LedgerStore) -> None:
    org = opened(ledger_store)
    ledger = ledger_store.ledger
    [first] = ledger.post(ledger.wallet(org), [posting("capture:1", 1000)], NOW, Extras())
    with pytest.raises(AlreadyPosted) as raised:
        ledger.post(ledger.wallet(org), [posting("capture:1", 1000)], NOW, Extras())
    assert raised.value.keys == ["capture:1"]
    assert ledger.wallet(org).balance_cents == 1000
    assert ledger.entries_for_keys(org, ["capture:1", "never"]) == [first]


def test_a_wallet_that_moved_since_it_was_read_is_not_overwritten(ledger_store: LedgerStore) -> None:
    org = opened(ledger_store)
    ledger = ledger_store.ledger
    stale = ledger.wallet(org)
    ledger.post(stale, [posting("first", 100)], NOW, Extras())
    with pytest.raises(WalletChanged):
        ledger.post(stale, [posting("second", 100)], NOW, Extras())
    assert ledger.wallet(org).balance_cents == 100
    assert ledger.entries_for_keys(org, ["second"]) == []


def test_lists_come_newest_first_and_by_time_range(ledger_store: LedgerStore) -> None:
    org = opened(ledger_store)
    ledger = ledger_store.ledger
    now = datetime.now(UTC)  # entry ids are made at posting time: the range must be around the real now
    ledger.post(ledger.wallet(org), [posting(f"k{i}", i + 1) for i in range(5)], now, Extras())
    first = ledger.page(org, 3, None)
    second = ledger.page(org, 3, first.next_cursor)
    assert [e.description for e in first.items + second.items] == ["k4", "k3", "k2", "k1", "k0"]
    assert second.next_cursor is None
    assert len(ledger.between(org, now - timedelta(minutes=1), now + timedelta(minutes=1))) == 5
    assert ledger.between(org, now + timedelta(hours=1), now + timedelta(hours=2)) == []


def test_top_ups_are_found_by_the_day_paypal_captured_them(ledger_store: LedgerStore) -> None:
    org = opened(ledger_store)
    ledger = ledger_store.ledger
    day = f"2026-{uuid.uuid4().int % 12 + 1:02d}-01"
    ledger.post(
        ledger.wallet(org), [posting("paypal-capture:C1", 700, reference="C1", day=day)], NOW, Extras()
    )
    assert [e.reference for e in ledger.topups_on(day)] == ["C1"]


def test_an_unknown_wallet_is_not_found(ledger_store: LedgerStore) -> None:
    with pytest.raises(NotFound):
        ledger_store.ledger.wallet(str(uuid.uuid4()))
