"""MetricRepository: samples (batched) and snapshots in the ephemeral table."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any

from pynamodb.exceptions import DoesNotExist

from chalicelib.domain.monitoring.entities import (
    ContainerState,
    HostSnapshot,
    HostUse,
    OrgSnapshot,
    Sample,
)
from chalicelib.store.monitoring import keys as mkeys
from chalicelib.store.monitoring.models import SampleItem, SnapshotItem
from chalicelib.store.table import store_call

BATCH = 25  # BatchWriteItem's limit


def _encode(s: Sample) -> str:
    values = (
        s.cpu_percent,
        s.memory_used_bytes,
        s.memory_limit_bytes,
        s.network_rx_bytes,
        s.network_tx_bytes,
        s.block_read_bytes,
        s.block_write_bytes,
    )
    return ",".join(f"{v:g}" if isinstance(v, float) else str(v) for v in values)


def _decode(container_id: str, sk: str, v: str) -> Sample:
    cpu, *rest = v.split(",")
    mem, limit, rx, tx, br, bw = (int(x) for x in rest)
    at = datetime.strptime(sk, "%Y-%m-%dT%H:%M").replace(tzinfo=UTC)
    return Sample(container_id, at, float(cpu), mem, limit, rx, tx, br, bw)


def _sample_doc(s: Sample | None) -> dict[str, Any] | None:
    return None if s is None else {"at": s.at.isoformat(), "v": _encode(s)}


def _sample_of(container_id: str, doc: dict[str, Any] | None) -> Sample | None:
    if not doc:
        return None
    at = datetime.fromisoformat(doc["at"])
    return _decode(container_id, mkeys.minute_sk(at), doc["v"])


class MetricRepository:
    """Implements MetricStore."""

    @store_call
    def put_samples(self, samples: Sequence[tuple[str, Sample]], expires: datetime) -> int:
        with SampleItem.batch_write() as batch:
            for org_id, s in samples:
                batch.save(
                    SampleItem(
                        mkeys.series_pk(org_id, s.container_id),
                        mkeys.minute_sk(s.at),
                        v=_encode(s),
                        expires=expires,
                    )
                )
        return -(-len(samples) // BATCH)

    @store_call
    def samples(self, org_id: str, container_id: str, start: datetime, end: datetime) -> list[Sample]:
        result = SampleItem.query(
            mkeys.series_pk(org_id, container_id),
            SampleItem.sk.between(mkeys.minute_sk(start), mkeys.minute_sk(end)),
        )
        found = [_decode(container_id, item.sk, item.v) for item in result]
        return [s for s in found if start <= s.at < end]

    @store_call
    def put_snapshots(self, orgs: Sequence[OrgSnapshot], hosts: HostSnapshot, expires: datetime) -> int:
        with SnapshotItem.batch_write() as batch:
            for org in orgs:
                states = [{**asdict(c), "sample": _sample_doc(c.sample)} for c in org.containers]
                batch.save(
                    SnapshotItem(
                        mkeys.snapshot_pk(org.organization_id),
                        mkeys.LATEST_SK,
                        at=org.at,
                        data={"containers": states},
                        expires=expires,
                    )
                )
            batch.save(
                SnapshotItem(
                    mkeys.HOSTS_PK,
                    mkeys.HOSTS_SK,
                    at=hosts.at,
                    data={"hosts": [asdict(h) for h in hosts.hosts]},
                    expires=expires,
                )
            )
        return -(-(len(orgs) + 1) // BATCH)

    @store_call
    def org_snapshot(self, org_id: str) -> OrgSnapshot | None:
        try:
            item = SnapshotItem.get(mkeys.snapshot_pk(org_id), mkeys.LATEST_SK)
        except DoesNotExist:
            return None
        states = tuple(
            ContainerState(**{**doc, "sample": _sample_of(doc["container_id"], doc.get("sample"))})
            for doc in item.data.get("containers", [])
        )
        return OrgSnapshot(org_id, item.at, states)

    @store_call
    def host_snapshot(self) -> HostSnapshot | None:
        try:
            item = SnapshotItem.get(mkeys.HOSTS_PK, mkeys.HOSTS_SK)
        except DoesNotExist:
            return None
        return HostSnapshot(item.at, tuple(HostUse(**doc) for doc in item.data.get("hosts", [])))
