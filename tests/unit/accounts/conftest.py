"""An AccountService over in-memory fakes, with a clock the test moves."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.adapters.crypto.tokens import JwtTokenIssuer
from chalicelib.domain.accounts.entities import SignInLimits
from chalicelib.domain.accounts.service import AccountService
from tests.fakes.accounts import FakeAccounts, FakeHasher, FakeSessions

PASSWORD = "a good long password"
HOME = "192.0.2.10"  # the account owner's address
ELSEWHERE = "198.51.100.7"  # someone else's
LIMITS = SignInLimits(
    free_failures=5,
    backoff_base_seconds=1,
    backoff_max_seconds=60,
    memory_seconds=900,
    address_max_failures=20,
    address_window_seconds=900,
)


class Clock:
    def __init__(self) -> None:
        self.now = datetime.now(UTC).replace(microsecond=0)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@dataclass
class World:
    service: AccountService
    accounts: FakeAccounts
    sessions: FakeSessions
    hasher: FakeHasher
    clock: Clock


@pytest.fixture
def world() -> World:
    clock = Clock()
    accounts = FakeAccounts()
    sessions = FakeSessions(accounts)
    hasher = FakeHasher()
    service = AccountService(
        accounts,
        sessions,
        hasher,
        JwtTokenIssuer(b"s" * 32, "iss", "aud", 3600),
        limits=LIMITS,
        clock=clock,
    )
    return World(service, accounts, sessions, hasher, clock)


@pytest.fixture
def service(world: World) -> AccountService:
    return world.service


@pytest.fixture
def clock(world: World) -> Clock:
    return world.clock
