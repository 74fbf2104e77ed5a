"""Scheduled every minute: one sample of each running container, and the latest snapshot of every organization
and of the hosts.

Per host it costs one engine list (what runs, which replica was killed for memory) and one stats read per
running replica (read concurrently by the engine adapter); per container one item written (batched 25 to a
request), plus one snapshot item per organization and one for the hosts.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from chalicelib.domain.containers.entities import RUNNING, Container
from chalicelib.domain.containers.naming import LABEL_HOST, LABEL_MANAGED, MANAGED_BY
from chalicelib.domain.containers.ports import Containers
from chalicelib.domain.hosts.engine import ContainerEngine, ContainerStats, EngineContainer
from chalicelib.domain.hosts.entities import Host
from chalicelib.domain.hosts.ports import Hosts
from chalicelib.domain.monitoring.entities import (
    ContainerState,
    HostSnapshot,
    HostUse,
    OrgSnapshot,
    Sample,
    minute_of,
)
from chalicelib.domain.monitoring.ports import MetricStore
from chalicelib.domain.shared.clock import Clock, utcnow
from chalicelib.domain.shared.errors import EngineError, ServiceUnavailable

log = logging.getLogger(__name__)
DEFAULT_RETENTION = timedelta(days=30)
MAX_SNAPSHOT_CONTAINERS = 1000


@dataclass
class CollectionReport:
    """What one run did and cost."""

    hosts: int = 0
    unreachable: int = 0
    containers: int = 0
    samples: int = 0
    engine_calls: int = 0
    items_written: int = 0
    batch_requests: int = 0
    by_org: dict[str, list[ContainerState]] = field(default_factory=dict)

    def figures(self) -> dict[str, int]:
        return {
            "hosts": self.hosts,
            "unreachable": self.unreachable,
            "containers": self.containers,
            "samples": self.samples,
            "engine_calls": self.engine_calls,
            "items_written": self.items_written,
            "batch_requests": self.batch_requests,
        }


class MetricsCollector:
    """Reads every host's running containers and stores their samples; an unreachable host is recorded as
    such (its containers get no sample) and the run goes on."""

    def __init__(
        self,
        containers: Containers,
        hosts: Hosts,
        engine_for: Callable[[Host], ContainerEngine],
        store: MetricStore,
        *,
        retention: timedelta = DEFAULT_RETENTION,
        clock: Clock = utcnow,
    ) -> None:
        self._containers = containers
        self._hosts = hosts
        self._engine_for = engine_for
        self._store = store
        self._retention = retention
        self._clock = clock

    def collect(self) -> CollectionReport:
        now = self._clock()
        minute = minute_of(now)
        report = CollectionReport()
        uses: list[HostUse] = []
        samples: list[tuple[str, Sample]] = []
        for host in self._hosts.list_all():
            records = list(self._containers.on_host(host.id))
            states, reachable = self._host_states(host, records, minute, report)
            report.hosts += 1
            for state, record in zip(states, records, strict=True):
                report.by_org.setdefault(record.organization_id, []).append(state)
                if state.sample is not None:
                    samples.append((record.organization_id, state.sample))
            uses.append(_host_use(host, states, reachable))
        expires = now + self._retention
        if samples:  # every organization's samples together: 25 to a batch request
            report.batch_requests += self._store.put_samples(samples, expires)
            report.samples = len(samples)
        # One item per organization (DynamoDB's limit is 400 KB, ~300 B a container): the rest is charted and
        # alerted on from its samples, but left out of the system totals and the scrape.
        orgs = [
            OrgSnapshot(org_id, minute, tuple(states[:MAX_SNAPSHOT_CONTAINERS]))
            for org_id, states in report.by_org.items()
        ]
        report.batch_requests += self._store.put_snapshots(orgs, HostSnapshot(minute, tuple(uses)), expires)
        report.items_written = report.samples + len(orgs) + 1
        return report

    def _host_states(
        self, host: Host, records: list[Container], minute: datetime, report: CollectionReport
    ) -> tuple[list[ContainerState], bool]:
        report.containers += len(records)
        try:
            engine = self._engine_for(host)
            report.engine_calls += 1
            listed = {e.id: e for e in engine.list_managed({LABEL_MANAGED: MANAGED_BY, LABEL_HOST: host.id})}
            running = {c.id for c in records if c.status == RUNNING}
            ids = [i for c in records if c.id in running for i in c.engine_ids if _runs(listed.get(i))]
            report.engine_calls += len(ids)
            stats = dict(zip(ids, _read_stats(engine, ids), strict=True))
        except ServiceUnavailable:
            log.warning("host %s unreachable while collecting metrics", host.id)
            report.unreachable += 1
            return [_state(host, c, None, reachable=False) for c in records], False
        states = []
        for c in records:
            replicas = [s for s in (stats.get(i) for i in c.engine_ids) if s is not None]
            sample = _sum(c.id, minute, replicas) if c.id in running and replicas else None
            oom = any(e.oom_killed for e in (listed.get(i) for i in c.engine_ids) if e is not None)
            states.append(_state(host, c, sample, oom=oom))
        return states, True


def _runs(found: EngineContainer | None) -> bool:
    return found is not None and found.status == "running"


def _read_stats(engine: ContainerEngine, ids: Sequence[str]) -> list[ContainerStats | None]:
    """One stats read per replica; a replica that went away meanwhile has none."""
    if not ids:
        return []
    try:
        return list(engine.stats_many(ids))
    except EngineError:
        found: list[ContainerStats | None] = []
        for engine_id in ids:
            try:
                found.append(engine.stats(engine_id))
            except EngineError:
                found.append(None)
        return found


def _sum(container_id: str, minute: datetime, replicas: list[ContainerStats]) -> Sample:
    return Sample(
        container_id=container_id,
        at=minute,
        cpu_percent=round(sum(s.cpu_percent for s in replicas), 2),
        memory_used_bytes=sum(s.memory_used_bytes for s in replicas),
        memory_limit_bytes=sum(s.memory_limit_bytes for s in replicas),
        network_rx_bytes=sum(s.network_rx_bytes for s in replicas),
        network_tx_bytes=sum(s.network_tx_bytes for s in replicas),
        block_read_bytes=sum(s.block_read_bytes for s in replicas),
        block_write_bytes=sum(s.block_write_bytes for s in replicas),
    )


def _state(
    host: Host, c: Container, sample: Sample | None, *, oom: bool = False, reachable: bool = True
) -> ContainerState:
    return ContainerState(c.id, c.name, host.id, c.status, sample, oom_killed=oom, host_reachable=reachable)


def _host_use(host: Host, states: list[ContainerState], reachable: bool) -> HostUse:
    sampled = [s.sample for s in states if s.sample is not None]
    return HostUse(
        host_id=host.id,
        name=host.name,
        status=host.status,
        reachable=reachable,
        cpu_capacity_millis=host.capacity.cpu_millis,
        memory_capacity_bytes=host.capacity.memory_bytes,
        cpu_allocated_millis=host.allocated.cpu_millis,
        memory_allocated_bytes=host.allocated.memory_bytes,
        running_containers=len(sampled),
        cpu_percent=round(sum(s.cpu_percent for s in sampled), 2),
        memory_used_bytes=sum(s.memory_used_bytes for s in sampled),
    )
