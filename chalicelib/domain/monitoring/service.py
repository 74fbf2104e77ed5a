"""Reading metrics: a container's chart points, the system view (admins: hosts; customers: their
organization), Prometheus exposition, and the scoped read-only scrape tokens."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from chalicelib.domain.monitoring.entities import (
    ContainerState,
    CreatedScrapeToken,
    HostSnapshot,
    Point,
    ScrapeToken,
)
from chalicelib.domain.monitoring.ports import MetricStore, ScrapeTokens
from chalicelib.domain.monitoring.series import aggregate, check_range, prometheus_text
from chalicelib.domain.shared.clock import Clock, utcnow
from chalicelib.domain.shared.errors import AuthenticationFailed, NotFound
from chalicelib.domain.shared.ids import new_ulid
from chalicelib.domain.shared.principal import Principal
from chalicelib.domain.shared.tenancy import tenant_scope

TOKEN_PREFIX = "csm_"  # noqa: S105 - the prefix of generated scrape tokens, not a secret
MAX_TOKENS = 5


@dataclass(frozen=True)
class OrgTotals:
    collected_at: datetime | None
    containers: int
    running: int
    cpu_percent: float
    memory_used_bytes: int
    memory_limit_bytes: int
    network_rx_bytes: int
    network_tx_bytes: int
    block_read_bytes: int
    block_write_bytes: int


@dataclass(frozen=True)
class SystemView:
    organization: OrgTotals | None  # customers
    hosts: HostSnapshot | None  # platform admins


def hash_token(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class MetricsService:
    """Raises ValidationFailed, NotFound, AuthenticationFailed (scrape token), Conflict, StoreUnavailable."""

    def __init__(self, store: MetricStore, tokens: ScrapeTokens, *, clock: Clock = utcnow) -> None:
        self._store = store
        self._tokens = tokens
        self._clock = clock

    def container_points(
        self, p: Principal, container_id: str, start: datetime, end: datetime, step: int
    ) -> list[Point]:
        """The container's points in [start, end) (one Query of the organization's own partition: a container
        of another organization has none, like one that never ran)."""
        check_range(start, end, step, self._clock())
        return aggregate(self._store.samples(p.organization_id, container_id, start, end), start, step)

    def system(self, p: Principal) -> SystemView:
        if p.is_admin:
            return SystemView(None, self._store.host_snapshot() or HostSnapshot(self._clock(), ()))
        snapshot = self._store.org_snapshot(p.organization_id)
        states = snapshot.containers if snapshot else ()
        sampled = [s.sample for s in states if s.sample is not None]
        return SystemView(
            OrgTotals(
                collected_at=snapshot.at if snapshot else None,
                containers=len(states),
                running=len(sampled),
                cpu_percent=round(sum(s.cpu_percent for s in sampled), 2),
                memory_used_bytes=sum(s.memory_used_bytes for s in sampled),
                memory_limit_bytes=sum(s.memory_limit_bytes for s in sampled),
                network_rx_bytes=sum(s.network_rx_bytes for s in sampled),
                network_tx_bytes=sum(s.network_tx_bytes for s in sampled),
                block_read_bytes=sum(s.block_read_bytes for s in sampled),
                block_write_bytes=sum(s.block_write_bytes for s in sampled),
            ),
            None,
        )

    def container_prometheus(self, p: Principal, container_id: str) -> str:
        """The container's latest sample in the exposition format. Raises NotFound when the last collection
        did not see it in the organization."""
        snapshot = self._store.org_snapshot(p.organization_id)
        states = [s for s in (snapshot.containers if snapshot else ()) if s.container_id == container_id]
        if not states or snapshot is None:
            raise NotFound("No such container has metrics (yet): the collector samples every minute.")
        return prometheus_text(states, snapshot.at)

    def scrape(self, secret: str) -> str:
        """Every container of the token's organization. Raises AuthenticationFailed for an unknown token."""
        if not secret.startswith(TOKEN_PREFIX):
            raise AuthenticationFailed(
                "This endpoint takes a scrape token ('Authorization: Bearer csm_...'); session tokens "
                "(valid, expired or revoked) are not accepted."
            )
        token = self._tokens.find(hash_token(secret))
        if token is None:
            raise AuthenticationFailed("This scrape token is unknown or was revoked.")
        with tenant_scope(token.organization_id):
            snapshot = self._store.org_snapshot(token.organization_id)
        states: tuple[ContainerState, ...] = snapshot.containers if snapshot else ()
        return prometheus_text(states, snapshot.at if snapshot else None)

    # ------------------------------------------------------------ scrape tokens
    def create_token(self, p: Principal, name: str) -> CreatedScrapeToken:
        secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
        token = ScrapeToken(
            id=new_ulid(),
            organization_id=p.organization_id,
            name=name,
            prefix=secret[:10],
            created_by=p.user_id,
            created_at=self._clock(),
        )
        self._tokens.add(token, hash_token(secret), MAX_TOKENS)
        return CreatedScrapeToken(token, secret)

    def tokens(self, p: Principal) -> list[ScrapeToken]:
        return self._tokens.of_org(p.organization_id)

    def revoke_token(self, p: Principal, token_id: str) -> None:
        self._tokens.remove(p.organization_id, token_id)
