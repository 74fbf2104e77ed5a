"""Storage ports of monitoring: the time series and snapshots, alert rules and events, scrape tokens."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from chalicelib.domain.monitoring.entities import (
    AlertEvent,
    AlertRule,
    HostSnapshot,
    OrgSnapshot,
    Sample,
    ScrapeToken,
)
from chalicelib.domain.shared.paging import Page


class MetricStore(Protocol):
    """Per-minute samples (with a TTL) and the collector's latest snapshots. Raises StoreUnavailable."""

    def put_samples(self, samples: Sequence[tuple[str, Sample]], expires: datetime) -> int:
        """Write (organization id, sample) pairs in batches of 25; returns the batch requests sent."""
        ...

    def samples(self, org_id: str, container_id: str, start: datetime, end: datetime) -> list[Sample]:
        """The container's samples with start <= at < end, oldest first (one Query)."""
        ...

    def put_snapshots(self, orgs: Sequence[OrgSnapshot], hosts: HostSnapshot, expires: datetime) -> int:
        """Write every organization's latest snapshot and the hosts' one; returns the batch requests sent."""
        ...

    def org_snapshot(self, org_id: str) -> OrgSnapshot | None: ...

    def host_snapshot(self) -> HostSnapshot | None: ...


class AlertRules(Protocol):
    def add(self, rule: AlertRule, limit: int) -> None:
        """Raises Conflict when the organization has `limit` rules already."""
        ...

    def of_org(self, org_id: str) -> list[AlertRule]:
        """The organization's rules (one Query)."""
        ...

    def remove(self, org_id: str, rule_id: str) -> None:
        """Raises NotFound."""
        ...

    def all_rules(self) -> list[AlertRule]:
        """Every organization's rules (the evaluator; an index Query, not a request path)."""
        ...

    def save_state(self, old: AlertRule, new: AlertRule) -> bool:
        """Write `new.firing` if the rule is still at `old.version`; False when it changed or is gone."""
        ...


class AlertEvents(Protocol):
    def add(self, event: AlertEvent, expires: datetime) -> None: ...

    def resolve(self, org_id: str, event_id: str, at: datetime) -> AlertEvent | None:
        """Mark a firing event resolved; None when it is gone."""
        ...

    def page(self, org_id: str, limit: int, cursor: str | None) -> Page[AlertEvent]:
        """Newest first. Raises ValidationFailed (field `cursor`) for a cursor not made here."""
        ...


class ScrapeTokens(Protocol):
    def add(self, token: ScrapeToken, secret_hash: str, limit: int) -> None:
        """Raises Conflict when the organization has `limit` tokens already."""
        ...

    def of_org(self, org_id: str) -> list[ScrapeToken]: ...

    def remove(self, org_id: str, token_id: str) -> None:
        """Raises NotFound."""
        ...

    def find(self, secret_hash: str) -> ScrapeToken | None:
        """The token whose secret hashes to `secret_hash` (one GetItem)."""
        ...


class Balances(Protocol):
    def balance_cents(self, org_id: str) -> int: ...
