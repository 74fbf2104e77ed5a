"""In-memory fakes of monitoring's stores, and an engine whose stats a test sets."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from chalicelib.domain.hosts.engine import ContainerStats
from chalicelib.domain.monitoring.entities import (
    RESOLVED,
    AlertEvent,
    AlertRule,
    HostSnapshot,
    OrgSnapshot,
    Sample,
    ScrapeToken,
)
from chalicelib.domain.shared.errors import Conflict, NotFound
from chalicelib.domain.shared.paging import Page
from tests.fakes.hosts import FakeEngine


class FakeMetricStore:
    def __init__(self) -> None:
        self.series: dict[tuple[str, str], dict[datetime, Sample]] = {}
        self.orgs: dict[str, OrgSnapshot] = {}
        self.hosts: HostSnapshot | None = None
        self.expires: datetime | None = None

    def put_samples(self, samples: Sequence[tuple[str, Sample]], expires: datetime) -> int:
        for org_id, s in samples:
            self.series.setdefault((org_id, s.container_id), {})[s.at] = s
        self.expires = expires
        return -(-len(samples) // 25)

    def samples(self, org_id: str, container_id: str, start: datetime, end: datetime) -> list[Sample]:
        found = self.series.get((org_id, container_id), {})
        return [found[at] for at in sorted(found) if start <= at < end]

    def put_snapshots(self, orgs: Sequence[OrgSnapshot], hosts: HostSnapshot, expires: datetime) -> int:
        self.orgs.update({o.organization_id: o for o in orgs})
        self.hosts = hosts
        return -(-(len(orgs) + 1) // 25)

    def org_snapshot(self, org_id: str) -> OrgSnapshot | None:
        return self.orgs.get(org_id)

    def host_snapshot(self) -> HostSnapshot | None:
        return self.hosts


class FakeAlertRules:
    def __init__(self) -> None:
        self.rules: dict[tuple[str, str], AlertRule] = {}

    def add(self, rule: AlertRule, limit: int) -> None:
        if len(self.of_org(rule.organization_id)) >= limit:
            raise Conflict("too many rules")
        self.rules[(rule.organization_id, rule.id)] = rule

    def of_org(self, org_id: str) -> list[AlertRule]:
        return [r for (o, _), r in sorted(self.rules.items()) if o == org_id]

    def remove(self, org_id: str, rule_id: str) -> None:
        if self.rules.pop((org_id, rule_id), None) is None:
            raise NotFound("No such alert rule.")

    def all_rules(self) -> list[AlertRule]:
        return list(self.rules.values())

    def save_state(self, old: AlertRule, new: AlertRule) -> bool:
        current = self.rules.get((old.organization_id, old.id))
        if current is None or current.version != old.version:
            return False
        self.rules[(old.organization_id, old.id)] = replace(
            current, firing=dict(new.firing), version=old.version + 1
        )
        return True


class FakeAlertEvents:
    def __init__(self) -> None:
        self.events: dict[tuple[str, str], AlertEvent] = {}

    def add(self, event: AlertEvent, expires: datetime) -> None:
        self.events[(event.organization_id, event.id)] = event

    def resolve(self, org_id: str, event_id: str, at: datetime) -> AlertEvent | None:
        found = self.events.get((org_id, event_id))
        if found is None:
            return None
        self.events[(org_id, event_id)] = replace(found, state=RESOLVED, resolved_at=at)
        return self.events[(org_id, event_id)]

    def page(self, org_id: str, limit: int, cursor: str | None) -> Page[AlertEvent]:
        mine = sorted(
            (e for (o, _), e in self.events.items() if o == org_id), key=lambda e: e.id, reverse=True
        )
        return Page(mine[:limit], None)


class FakeScrapeTokens:
    def __init__(self) -> None:
        self.tokens: dict[str, tuple[ScrapeToken, str]] = {}

    def add(self, token: ScrapeToken, secret_hash: str, limit: int) -> None:
        if len(self.of_org(token.organization_id)) >= limit:
            raise Conflict("too many tokens")
        self.tokens[token.id] = (token, secret_hash)

    def of_org(self, org_id: str) -> list[ScrapeToken]:
        return [t for t, _ in self.tokens.values() if t.organization_id == org_id]

    def remove(self, org_id: str, token_id: str) -> None:
        found = self.tokens.get(token_id)
        if found is None or found[0].organization_id != org_id:
            raise NotFound("No such scrape token.")
        del self.tokens[token_id]

    def find(self, secret_hash: str) -> ScrapeToken | None:
        return next((t for t, h in self.tokens.values() if h == secret_hash), None)


class FakeBalances:
    def __init__(self) -> None:
        self.cents: dict[str, int] = {}

    def balance_cents(self, org_id: str) -> int:
        return self.cents.get(org_id, 0)


class StatsEngine(FakeEngine):
    """A FakeEngine whose per-replica CPU a test sets (`cpu[engine_id]`); counts stats reads."""

    def __init__(self) -> None:
        super().__init__()
        self.cpu: dict[str, float] = {}
        self.stats_calls = 0
        self.list_calls = 0
        self.down = False

    def list_managed(self, labels):  # type: ignore[no-untyped-def]
        from chalicelib.domain.shared.errors import EngineUnavailable

        if self.down:
            raise EngineUnavailable("The engine does not answer.")
        self.list_calls += 1
        return super().list_managed(labels)

    def stats(self, id_or_name: str) -> ContainerStats:
        self.stats_calls += 1
        found = self.find(id_or_name)
        limit = found.memory_bytes or 0 if found else 0
        return ContainerStats(self.cpu.get(id_or_name, 1.0), 64 * 2**20, limit, 1000, 500, 4096, 8192, 3)
