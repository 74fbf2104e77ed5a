"""Hundreds of credits and debits at once on one wallet (moto server, parallel threads): nothing is lost."""

from __future__ import annotations

import random
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from chalicelib.domain.billing.entities import Posting
from chalicelib.domain.shared.errors import InsufficientFunds
from tests.support.api import Api
from tests.support.billing import balance, ledger

OPERATIONS = 500
THREADS = 16


@pytest.fixture
def patient_client(monkeypatch: pytest.MonkeyPatch) -> None:
    """Under one lock, 16 threads queue for moto: a request may wait longer than PynamoDB's 30 s read
    timeout, and one that times out client-side may still be applied later (the service then cannot know
    its outcome when it answers). Waiting as long as it takes keeps every answer exact."""
    import pynamodb.settings

    from chalicelib import wiring

    monkeypatch.setitem(pynamodb.settings.default_settings_dict, "read_timeout_seconds", 600)
    wiring.reset()


@pytest.mark.timeout(1500)
def test_500_mixed_credits_and_debits_keep_balance_equal_to_the_ledger(
    api: Api, patient_client: None
) -> None:
    from chalicelib.wiring.billing import get_wallet

    ann = api.user()
    wallet = get_wallet()
    rng = random.Random(8)
    amounts = [rng.choice((1, -1)) * rng.randint(1, 500) for _ in range(OPERATIONS)]

    def move(i: int) -> int:
        posting = Posting(
            key=f"load:{i}",
            kind="adjustment",
            amount_cents=amounts[i],
            description=f"op {i}",
            created_by="test",
        )
        try:
            wallet.post(ann.org_id, [posting], allow_negative=False)
        except InsufficientFunds:
            return 0
        return amounts[i]

    # When 500 credits and debits (debits may not take the balance below zero) run on 16 threads
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        applied = list(pool.map(move, range(OPERATIONS)))
    elapsed = time.monotonic() - started
    # Then every applied movement is in the ledger exactly once, none twice, and no update was lost
    entries = ledger(ann)
    applied_count = sum(1 for a in applied if a)
    print(
        f"\n{OPERATIONS} movements on {THREADS} threads in {elapsed:.1f}s: {applied_count} applied, "
        f"{OPERATIONS - applied_count} refused for lack of funds"
    )
    assert len(entries) == applied_count
    assert len({e["id"] for e in entries}) == len({e["description"] for e in entries}) == applied_count
    total = sum(int(e["amount"].replace(".", "")) for e in entries)
    assert total == sum(applied)
    assert balance(ann) == f"{total / 100:.2f}"
    # And no movement ever left the balance below zero
    assert min(int(e["balance_after"].replace(".", "").replace("-", "-")) for e in entries) >= 0
    # And replaying the applied movements (their idempotency keys) changes nothing
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        list(pool.map(move, [i for i, amount in enumerate(applied) if amount][::3]))
    assert len(ledger(ann)) == applied_count and balance(ann) == f"{total / 100:.2f}"
