"""Pure mapping between the Docker Engine API's documents and the engine port's dataclasses (no I/O)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from chalicelib.domain.hosts.engine import ContainerStats, EngineContainer, LogLine, LogStream, PortBinding

_ZERO_TIME = "0001-01-01T00:00:00Z"
_NO_EXIT_CODE_STATES = frozenset({"created", "running", "paused"})
CPU_PERIOD = 100_000  # microseconds: the CFS period every container's CPU quota is a share of


def cpu_quota(cpu: float) -> int:
    """CFS quota: microseconds of CPU time per CPU_PERIOD for `cpu` cores (0.01 = the 1 ms minimum)."""
    return round(cpu * CPU_PERIOD)


def cpu_limit(host_config: Mapping[str, Any]) -> float | None:
    """Cores from CpuQuota/CpuPeriod (as created now) or NanoCpus (older containers); None: no limit."""
    quota, period = host_config.get("CpuQuota") or 0, host_config.get("CpuPeriod") or 0
    if quota > 0 and period > 0:
        return round(quota / period, 3)
    return host_config["NanoCpus"] / 1e9 if host_config.get("NanoCpus") else None


def port_bindings(ports: Sequence[PortBinding], ip: str) -> dict[str, list[tuple[str, int | None]]]:
    """SDK `ports=` argument: every binding on `ip`; a None host port lets the engine choose."""
    bindings: dict[str, list[tuple[str, int | None]]] = {}
    for port in ports:
        bindings.setdefault(f"{port.container}/{port.protocol}", []).append((ip, port.host))
    return bindings


def ports_from_inspect(attrs: Mapping[str, Any]) -> list[PortBinding]:
    """Published ports: the requested bindings, with the host port the engine actually chose when running."""
    requested: Mapping[str, Any] = attrs.get("HostConfig", {}).get("PortBindings") or {}
    live: Mapping[str, Any] = attrs.get("NetworkSettings", {}).get("Ports") or {}
    result = []
    for key, wanted in requested.items():
        container_port, _, protocol = key.partition("/")
        host_ports = [b.get("HostPort") for b in (live.get(key) or wanted or []) if b.get("HostPort")]
        result.append(
            PortBinding(
                int(container_port),
                int(host_ports[0]) if host_ports else None,
                "udp" if protocol == "udp" else "tcp",
            )
        )
    return sorted(result, key=lambda p: (p.container, p.protocol))


def parse_time(value: str | None) -> datetime | None:
    """An engine RFC 3339 (nanosecond) timestamp as an aware datetime; None for empty or the zero time."""
    if not value or value.startswith(_ZERO_TIME[:10]):
        return None
    return datetime.fromisoformat(value)


def to_engine_container(attrs: Mapping[str, Any]) -> EngineContainer:
    """EngineContainer from an inspect document."""
    state: Mapping[str, Any] = attrs.get("State") or {}
    host: Mapping[str, Any] = attrs.get("HostConfig") or {}
    status = str(state.get("Status", ""))
    return EngineContainer(
        id=str(attrs["Id"]),
        name=str(attrs.get("Name", "")).lstrip("/"),
        status=status,
        exit_code=None if status in _NO_EXIT_CODE_STATES else int(state.get("ExitCode", 0)),
        error=state.get("Error") or None,
        labels=dict((attrs.get("Config") or {}).get("Labels") or {}),
        ports=ports_from_inspect(attrs),
        started_at=parse_time(state.get("StartedAt")),
        finished_at=parse_time(state.get("FinishedAt")),
        cpu=cpu_limit(host),
        memory_bytes=int(host["Memory"]) if host.get("Memory") else None,
        oom_killed=bool(state.get("OOMKilled")),
        created_at=parse_time(attrs.get("Created")),
    )


def parse_log_lines(raw: bytes, stream: LogStream) -> list[LogLine]:
    """Lines of a `timestamps=True` log read of one stream."""
    lines = []
    for entry in raw.decode("utf-8", errors="replace").split("\n"):
        if entry:
            stamp, _, message = entry.partition(" ")
            lines.append(LogLine(timestamp=datetime.fromisoformat(stamp), stream=stream, message=message))
    return lines


def cpu_percent(sample: Mapping[str, Any]) -> float:
    """CPU use as `docker stats` shows it (100 % = one core); 0.0 without a previous sample."""
    cur, pre = sample.get("cpu_stats") or {}, sample.get("precpu_stats") or {}
    if not pre.get("system_cpu_usage"):
        return 0.0
    cpu_delta = cur.get("cpu_usage", {}).get("total_usage", 0) - pre.get("cpu_usage", {}).get(
        "total_usage", 0
    )
    system_delta = cur.get("system_cpu_usage", 0) - pre["system_cpu_usage"]
    cpus = cur.get("online_cpus") or len(cur.get("cpu_usage", {}).get("percpu_usage") or ()) or 1
    if cpu_delta <= 0 or system_delta <= 0:
        return 0.0
    return float(cpu_delta / system_delta * cpus * 100.0)


def memory_used(memory_stats: Mapping[str, Any]) -> int:
    """Memory in use without reclaimable page cache, as `docker stats` shows it (cgroup v1 and v2)."""
    usage = int(memory_stats.get("usage", 0))
    detail: Mapping[str, int] = memory_stats.get("stats") or {}
    for key in ("total_inactive_file", "inactive_file", "cache"):  # cgroup v1, v2, old v1 engines
        if key in detail:
            return usage - detail[key] if detail[key] < usage else usage
    return usage


def stats_from_sample(sample: Mapping[str, Any]) -> ContainerStats:
    """ContainerStats from one non-streamed stats document (all zeros for a stopped container)."""
    memory: Mapping[str, Any] = sample.get("memory_stats") or {}
    networks: Mapping[str, Mapping[str, int]] = sample.get("networks") or {}
    io: list[Mapping[str, Any]] = (sample.get("blkio_stats") or {}).get("io_service_bytes_recursive") or []
    return ContainerStats(
        cpu_percent=cpu_percent(sample),
        memory_used_bytes=memory_used(memory),
        memory_limit_bytes=int(memory.get("limit", 0)),
        network_rx_bytes=sum(n.get("rx_bytes", 0) for n in networks.values()),
        network_tx_bytes=sum(n.get("tx_bytes", 0) for n in networks.values()),
        block_read_bytes=sum(int(e["value"]) for e in io if str(e.get("op", "")).lower() == "read"),
        block_write_bytes=sum(int(e["value"]) for e in io if str(e.get("op", "")).lower() == "write"),
        pids=int((sample.get("pids_stats") or {}).get("current", 0)),
    )
