"""A world of fakes for VPS tests: a fake provider account, the stores, the wallet, workflows, a clock."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from chalicelib.domain.shared.principal import Principal
from chalicelib.domain.vps.accounts import ProviderAccounts
from chalicelib.domain.vps.catalog import Catalog
from chalicelib.domain.vps.entities import Plan, Provider, Vps, VpsPolicy
from chalicelib.domain.vps.events import VpsEvents
from chalicelib.domain.vps.providers import ProviderRequest, ProviderService
from chalicelib.domain.vps.provisioning import VpsProvisioner
from chalicelib.domain.vps.reconciliation import VpsReconciler
from chalicelib.domain.vps.service import VpsRequest, VpsService
from tests.fakes.shared import FakeSecretBox, FakeWorkflows
from tests.fakes.vps import FakeAccount, FakeCloud
from tests.fakes.vps_stores import (
    FakeEventLog,
    FakeFunds,
    FakeInstances,
    FakePlans,
    FakeProviders,
    FakeReports,
    FakeSshKeys,
)

ANN = Principal(
    user_id="u1", role="user", token_id="t", token_expires=0, organization_id="o1", organization_role="owner"
)
BOB = replace(ANN, user_id="u2", organization_id="o2")
API_KEY = "linode-token-abcd1234"
POLICY = VpsPolicy(funded_hours=24, poll_seconds=0, max_wait_seconds=600, orphan_grace_seconds=900)


class Mailbox:
    def __init__(self) -> None:
        self.sent: list[tuple[str, str, dict[str, str]]] = []

    def send(self, to: str, template: str, values: object) -> None:
        assert isinstance(values, dict)
        self.sent.append((to, template, dict(values)))


class World:
    def __init__(self, policy: VpsPolicy = POLICY) -> None:
        self.now = datetime(2026, 11, 2, 12, 0, tzinfo=UTC)
        self.cloud = FakeCloud()
        self.account: FakeAccount = self.cloud.account(API_KEY)
        self.box = FakeSecretBox()
        self.providers = FakeProviders()
        self.plans = FakePlans()
        self.instances = FakeInstances()
        self.keys = FakeSshKeys()
        self.funds = FakeFunds()
        self.events_log = FakeEventLog()
        self.reports = FakeReports()
        self.workflows = FakeWorkflows()
        self.mail = Mailbox()
        self.accounts = ProviderAccounts(
            self.providers, self.cloud, self.box, loopback_only=policy.loopback_only
        )
        self.catalog = Catalog(self.providers, self.plans, clock=self.clock)
        self.provider_service = ProviderService(
            self.providers, self.plans, self.instances, self.accounts, self.box, policy, clock=self.clock
        )
        self.service = VpsService(
            self.instances,
            self.keys,
            self.catalog,
            self.accounts,
            self.funds,
            self.box,
            self.workflows,
            policy,
            clock=self.clock,
        )
        self.provisioner = VpsProvisioner(
            self.instances, self.keys, self.accounts, self.funds, self.box, policy, clock=self.clock
        )
        self.events = VpsEvents(
            self.providers, self.instances, self.accounts, self.events_log, clock=self.clock
        )
        self.reconciler = VpsReconciler(
            self.providers,
            self.instances,
            self.accounts,
            self.reports,
            self.mail,
            replace(policy, report_email="ops@example.com"),
            clock=self.clock,
        )

    def clock(self) -> datetime:
        return self.now

    def later(self, **delta: float) -> None:
        self.now += timedelta(**delta)

    # ------------------------------------------------------------ givens
    def linode(self, api_key: str = API_KEY) -> tuple[Provider, str]:
        """A synced Linode provider; returns it and its webhook secret."""
        provider, secret = self.provider_service.create(
            ProviderRequest("Linode", "linode", api_key, {"base_url": "http://127.0.0.1:9999"})
        )
        self.provider_service.sync_plans(provider.id)
        return self.providers.get(provider.id), secret

    def plan(self, provider_plan_id: str = "g6-nanode-1") -> Plan:
        return next(p for p in self.plans.all() if p.provider_plan_id == provider_plan_id)

    def buy(
        self, who: Principal = ANN, balance_cents: int = 10_000, region: str = "us-east"
    ) -> tuple[Vps, str]:
        self.funds.balances[who.organization_id] = balance_cents
        return self.service.create(who, VpsRequest(self.plan().id, region, "web-1"))

    def provision(self, vps: Vps) -> Vps:
        """The provision-vps state machine's happy path."""
        org = vps.organization_id
        self.provisioner.reserve(org, vps.id)
        self.provisioner.create_instance(org, vps.id)
        while not self.provisioner.is_running(org, vps.id):
            self.later(seconds=5)
        self.provisioner.mark_running(org, vps.id)
        return self.instances.get(org, vps.id)

    def running_vps(self, who: Principal = ANN) -> Vps:
        if not self.providers.items:
            self.linode()
        vps, _ = self.buy(who)
        return self.provision(vps)
