"""Wire models of a container's logs and live metrics (what the engine reports now)."""

from __future__ import annotations

from datetime import datetime

from chalicelib.api.wire import Out
from chalicelib.domain.containers.entities import ContainerMetrics, ReplicaLog
from chalicelib.domain.hosts.engine import ContainerStats, LogStream


class LogLineOut(Out):
    timestamp: datetime
    stream: LogStream
    replica: int
    message: str


class LogsOut(Out):
    container_id: str
    lines: list[LogLineOut]

    @classmethod
    def of(cls, container_id: str, lines: list[ReplicaLog]) -> LogsOut:
        return cls(
            container_id=container_id,
            lines=[
                LogLineOut(
                    timestamp=r.line.timestamp,
                    stream=r.line.stream,
                    replica=r.replica,
                    message=r.line.message,
                )
                for r in lines
            ],
        )


class MemoryOut(Out):
    used_bytes: int
    limit_bytes: int
    percent: float


class IoOut(Out):
    read_bytes: int
    write_bytes: int


class NetworkOut(Out):
    rx_bytes: int
    tx_bytes: int


class StatsOut(Out):
    cpu_percent: float
    memory: MemoryOut
    network: NetworkOut
    block_io: IoOut
    pids: int

    @classmethod
    def of(cls, s: ContainerStats) -> StatsOut:
        limit = s.memory_limit_bytes
        return cls(
            cpu_percent=s.cpu_percent,
            memory=MemoryOut(
                used_bytes=s.memory_used_bytes,
                limit_bytes=limit,
                percent=round(100 * s.memory_used_bytes / limit, 2) if limit else 0.0,
            ),
            network=NetworkOut(rx_bytes=s.network_rx_bytes, tx_bytes=s.network_tx_bytes),
            block_io=IoOut(read_bytes=s.block_read_bytes, write_bytes=s.block_write_bytes),
            pids=s.pids,
        )


class ReplicaStatsOut(StatsOut):
    replica: int


class MetricsOut(StatsOut):
    container_id: str
    collected_at: datetime
    replicas: list[ReplicaStatsOut]

    @classmethod
    def of_container(cls, container_id: str, m: ContainerMetrics, now: datetime) -> MetricsOut:
        total = StatsOut.of(m.total)
        return cls(
            **total.model_dump(),
            container_id=container_id,
            collected_at=now,
            replicas=[ReplicaStatsOut(**StatsOut.of(s).model_dump(), replica=i) for i, s in m.replicas],
        )
