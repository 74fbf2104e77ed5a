"""A monitoring world in memory: hosts, container records, an engine whose stats tests set, the stores."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

from chalicelib.domain.containers.entities import Container, ContainerStatus
from chalicelib.domain.containers.naming import LABEL_CONTAINER, LABEL_HOST, LABEL_MANAGED, MANAGED_BY
from chalicelib.domain.hosts.engine import ContainerSpec
from chalicelib.domain.hosts.entities import Allocation
from chalicelib.domain.monitoring.alerts import AlertService
from chalicelib.domain.monitoring.collector import MetricsCollector
from chalicelib.domain.monitoring.delivery import AlertDelivery
from chalicelib.domain.monitoring.evaluator import AlertEvaluator
from chalicelib.domain.monitoring.service import MetricsService
from chalicelib.domain.shared.principal import Principal
from tests.contract.builders import container
from tests.fakes.containers import FakeContainers
from tests.fakes.hosts import FakeHosts, host
from tests.fakes.monitoring import (
    FakeAlertEvents,
    FakeAlertRules,
    FakeBalances,
    FakeMetricStore,
    FakeScrapeTokens,
    StatsEngine,
)
from tests.fakes.support import FakeMailer, RecordingNotifier

ORG = "org-1"
OTHER = "org-2"
START = datetime(2026, 3, 1, 10, 0, 20, tzinfo=UTC)


@dataclass
class Clock:
    now: datetime = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, minutes: int = 1) -> None:
        self.now += timedelta(minutes=minutes)


@dataclass
class World:
    clock: Clock = field(default_factory=Clock)
    hosts: FakeHosts = field(default_factory=lambda: FakeHosts(host("h1"), host("h2")))
    engines: dict[str, StatsEngine] = field(
        default_factory=lambda: {"h1": StatsEngine(), "h2": StatsEngine()}
    )
    store: FakeMetricStore = field(default_factory=FakeMetricStore)
    rules: FakeAlertRules = field(default_factory=FakeAlertRules)
    events: FakeAlertEvents = field(default_factory=FakeAlertEvents)
    tokens: FakeScrapeTokens = field(default_factory=FakeScrapeTokens)
    balances: FakeBalances = field(default_factory=FakeBalances)
    mailer: FakeMailer = field(default_factory=FakeMailer)
    notifier: RecordingNotifier = field(default_factory=RecordingNotifier)

    def __post_init__(self) -> None:
        self.containers = FakeContainers(self.hosts)
        delivery = AlertDelivery(self.events, self.notifier, self.mailer)
        self.collector = MetricsCollector(
            self.containers, self.hosts, lambda h: self.engines[h.id], self.store, clock=self.clock
        )
        self.evaluator = AlertEvaluator(self.rules, self.store, delivery, self.balances, clock=self.clock)
        self.alerts = AlertService(self.rules, self.events, delivery, clock=self.clock)
        self.metrics = MetricsService(self.store, self.tokens, clock=self.clock)

    def run(self, org_id: str = ORG, host_id: str = "h1", replicas: int = 1, name: str = "web") -> Container:
        """A running container with its replicas on the engine of `host_id`."""
        c = container(org_id, host_id, name=name, replicas=replicas, status="running")
        engine = self.engines[host_id]
        ids = []
        for n in range(replicas):
            labels = {LABEL_MANAGED: MANAGED_BY, LABEL_HOST: host_id, LABEL_CONTAINER: c.id}
            spec = ContainerSpec(f"cs-{c.id}-{n}", "web:1", 0.5, 256 * 2**20, labels=labels)
            ids.append(engine.create_and_start(spec).id)
        c = replace(c, engine_ids=tuple(ids))
        self.containers.create_on_host(c, Allocation(10**9, 10**15))
        return c

    def set_status(self, c: Container, status: ContainerStatus) -> None:
        self.containers.items[(c.organization_id, c.id)] = replace(c, status=status)

    def cpu(self, c: Container, percent: float) -> None:
        for engine_id in c.engine_ids:
            self.engines[c.host_id or "h1"].cpu[engine_id] = percent

    def minute(self) -> None:
        """What the schedules do each minute: collect, then evaluate; then time moves on."""
        self.collector.collect()
        self.evaluator.evaluate()
        self.clock.advance()


def member(org_id: str = ORG, admin: bool = False) -> Principal:
    return Principal(
        user_id="u-1",
        role="admin" if admin else "user",
        token_id="t",
        token_expires=0,
        organization_id=org_id,
    )
