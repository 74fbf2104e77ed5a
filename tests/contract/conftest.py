"""The two implementations of each storage port: the real repository against moto, and the fake.

Every contract test asks for one of these fixtures and so runs once per implementation. The moto
session (`aws`) starts only when a `dynamodb` case runs; `clean_tables` empties the tables around it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from chalicelib import wiring
from chalicelib.domain.accounts.ports import Accounts, Sessions
from chalicelib.domain.billing.ports import Ledger
from chalicelib.domain.containers.entities import Container
from chalicelib.domain.containers.ports import Containers
from chalicelib.domain.hosts.entities import Allocation, Host
from chalicelib.domain.hosts.ports import Hosts
from chalicelib.store.accounts.repository import AccountRepository, SessionRepository
from chalicelib.store.containers.repository import ContainerRepository
from chalicelib.store.hosts.repository import HostRepository
from tests.contract.builders import host
from tests.fakes.accounts import FakeAccounts, FakeSessions
from tests.fakes.billing import FakeLedger
from tests.fakes.containers import FakeContainers
from tests.fakes.hosts import FakeHosts

IMPLEMENTATIONS = ["fake", "dynamodb"]


@dataclass(frozen=True)
class AccountStores:
    accounts: Accounts
    sessions: Sessions


@dataclass(frozen=True)
class PlacementStores:
    """Hosts and containers sharing one state: creating a container claims capacity on its host."""

    hosts: Hosts
    containers: Containers

    def add_host(self, **fields: Any) -> Host:
        """A host built by `builders.host(**fields)`, added without TLS."""
        engine = host(**fields)
        self.hosts.add(engine, None)
        return engine

    def create(self, c: Container) -> Container:
        """Store `c` on its host as the service does: claim its footprint within what the host can take."""
        assert c.host_id is not None
        engine = self.hosts.get(c.host_id)
        self.containers.create_on_host(c, engine.claim_limit(c.held()))
        return c

    def allocated(self, engine: Host) -> Allocation:
        """What the host holds now."""
        return self.hosts.get(engine.id).allocated


def _bind_real_tables(request: pytest.FixtureRequest) -> None:
    request.getfixturevalue("clean_tables")
    wiring.settings()  # binds the models to the session's tables


@pytest.fixture(params=IMPLEMENTATIONS)
def account_stores(request: pytest.FixtureRequest) -> AccountStores:
    if request.param == "dynamodb":
        _bind_real_tables(request)
        return AccountStores(AccountRepository(), SessionRepository())
    accounts = FakeAccounts()
    return AccountStores(accounts, FakeSessions(accounts))


@pytest.fixture(params=IMPLEMENTATIONS)
def placement(request: pytest.FixtureRequest) -> PlacementStores:
    if request.param == "dynamodb":
        _bind_real_tables(request)
        return PlacementStores(HostRepository(), ContainerRepository())
    hosts = FakeHosts()
    return PlacementStores(hosts, FakeContainers(hosts))


@dataclass(frozen=True)
class LedgerStore:
    """The Ledger port and a way to open a wallet (sign-up writes it in the real store)."""

    ledger: Ledger
    open: Any


@pytest.fixture(params=IMPLEMENTATIONS)
def ledger_store(request: pytest.FixtureRequest) -> LedgerStore:
    if request.param == "dynamodb":
        _bind_real_tables(request)
        from datetime import UTC, datetime

        from chalicelib.store import keys
        from chalicelib.store.accounts.models import WalletItem
        from chalicelib.store.billing.ledger import LedgerRepository

        def open_wallet(org_id: str) -> None:
            now = datetime.now(UTC)
            WalletItem(
                keys.org_pk(org_id),
                keys.WALLET_SK,
                id=org_id,
                organization_id=org_id,
                balance_cents=0,
                currency="USD",
                created_at=now,
                updated_at=now,
            ).save()

        return LedgerStore(LedgerRepository(), open_wallet)
    fake = FakeLedger()
    return LedgerStore(fake, fake.open)
