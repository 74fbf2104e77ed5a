"""The Sessions contract, run against the DynamoDB store (moto) and the in-memory fake alike."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest

from chalicelib.domain.accounts.entities import Membership, NewAccount, Organization, User, Wallet
from chalicelib.domain.accounts.ports import Accounts, Sessions
from tests.fakes.accounts import FakeAccounts, FakeSessions

EMAIL = "ann@example.com"
ADDRESS = "198.51.100.7"
FREE = 3
HOLD = 60
MEMORY = 900


@dataclass
class Store:
    accounts: Accounts
    sessions: Sessions


@pytest.fixture(params=["dynamodb", "fake"])
def store(request: pytest.FixtureRequest) -> Iterator[Store]:
    if request.param == "fake":
        fake = FakeAccounts()
        yield Store(fake, FakeSessions(fake))
        return
    request.getfixturevalue("clean_tables")
    from chalicelib import wiring
    from chalicelib.store.accounts.repository import AccountRepository, SessionRepository

    wiring.reset()
    wiring.settings()  # binds the tables
    yield Store(AccountRepository(), SessionRepository())
    wiring.reset()


@pytest.fixture
def now() -> int:
    return int(time.time())


def new_account() -> NewAccount:
    at = datetime.now(UTC)
    user_id, org_id = str(uuid.uuid4()), str(uuid.uuid4())
    user = User(user_id, f"{user_id[:8]}@example.com", "Ann", "user", org_id, at, at)
    org = Organization(org_id, "Ann's organization", f"ann-{org_id[:6]}", user_id, {}, at, at)
    return NewAccount(
        user,
        "hash",
        org,
        Membership(org_id, org.name, user_id, "owner"),
        Wallet(str(uuid.uuid4()), org_id, 0, "USD"),
    )


def claim(store: Store, now: int, **overrides: Any) -> tuple[bool, int, int]:
    options: dict[str, Any] = {"free": FREE, "hold_until": now + HOLD, "expires": now + MEMORY, **overrides}
    got = store.sessions.claim_account_attempt(EMAIL, now, **options)
    return got.counted, got.count, got.until


def test_account_attempts_are_counted_up_to_the_free_ones_then_held(store: Store, now: int) -> None:
    assert [claim(store, now) for _ in range(FREE)] == [(True, n, now + HOLD) for n in range(1, FREE + 1)]
    assert claim(store, now) == (False, FREE, now + HOLD)


def test_the_latest_failure_sets_the_wait_and_an_older_one_does_not(store: Store, now: int) -> None:
    for _ in range(FREE):
        claim(store, now)
    store.sessions.settle_account_failure(EMAIL, 1, until=now, expires=now + MEMORY)  # stale: ignored
    assert claim(store, now) == (False, FREE, now + HOLD)
    store.sessions.settle_account_failure(EMAIL, FREE, until=now + 4, expires=now + MEMORY)
    assert claim(store, now + 3) == (False, FREE, now + 4)
    assert claim(store, now + 4) == (True, FREE + 1, now + 4 + HOLD)


def test_clearing_forgets_the_account_and_an_expired_counter_starts_again(store: Store, now: int) -> None:
    for _ in range(FREE):
        claim(store, now)
    store.sessions.clear_account_attempts(EMAIL)
    assert claim(store, now)[:2] == (True, 1)
    for _ in range(FREE):
        claim(store, now)
    later = now + MEMORY
    assert claim(store, later) == (True, 1, later + HOLD)


def test_address_attempts_are_counted_in_a_fixed_window_and_released_in_it(store: Store, now: int) -> None:
    sessions = store.sessions
    first = sessions.claim_address_attempt(ADDRESS, now, limit=2, window=MEMORY)
    assert (first.counted, first.count, first.until) == (True, 1, now + MEMORY)
    assert sessions.claim_address_attempt(ADDRESS, now + 5, limit=2, window=MEMORY).until == now + MEMORY
    refused = sessions.claim_address_attempt(ADDRESS, now + 6, limit=2, window=MEMORY)
    assert (refused.counted, refused.count, refused.until) == (False, 2, now + MEMORY)
    sessions.release_address_attempt(ADDRESS, now + MEMORY + 1)  # another window: ignored
    assert not sessions.claim_address_attempt(ADDRESS, now + 7, limit=2, window=MEMORY).counted
    sessions.release_address_attempt(ADDRESS, now + MEMORY)
    assert sessions.claim_address_attempt(ADDRESS, now + 8, limit=2, window=MEMORY).count == 2
    restarted = sessions.claim_address_attempt(ADDRESS, now + MEMORY, limit=2, window=MEMORY)
    assert (restarted.counted, restarted.count, restarted.until) == (True, 1, now + 2 * MEMORY)


def test_the_auth_snapshot_reads_revocation_user_and_membership(store: Store, now: int) -> None:
    account = new_account()
    user_id, org_id = account.user.id, account.organization.id
    store.accounts.create_account(account)
    seen = store.sessions.auth_snapshot("jti-1", org_id, user_id)
    assert (seen.revoked, seen.user_exists, seen.tokens_valid_after) == (False, True, 0)
    assert seen.membership is not None and seen.membership.role == "owner"
    store.accounts.update_user(user_id, datetime.now(UTC), tokens_valid_after=now)
    store.sessions.revoke("jti-1", datetime.fromtimestamp(now + 60, UTC))
    seen = store.sessions.auth_snapshot("jti-1", None, user_id)
    assert (seen.revoked, seen.user_exists, seen.tokens_valid_after, seen.membership) == (
        True,
        True,
        now,
        None,
    )
    gone = store.sessions.auth_snapshot("jti-2", org_id, "no-such-user")
    assert (gone.user_exists, gone.membership) == (False, None)
