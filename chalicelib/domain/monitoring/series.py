"""Turning samples into chart points (aggregated per step) and into Prometheus' text exposition format."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta

from chalicelib.domain.monitoring.entities import (
    MAX_POINTS,
    MAX_RANGE,
    STEPS,
    ContainerState,
    Point,
    Sample,
)
from chalicelib.domain.shared.errors import ValidationFailed

PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
_COUNTERS = ("network_rx_bytes", "network_tx_bytes", "block_read_bytes", "block_write_bytes")


def check_range(start: datetime, end: datetime, step: int, now: datetime) -> None:
    """Raises ValidationFailed naming the field: from before to, within the retention, a known step, and at
    most MAX_POINTS steps."""
    if step not in STEPS:
        raise ValidationFailed(
            f"step must be one of {', '.join(map(str, STEPS))} seconds.", details={"field": "step"}
        )
    if start >= end:
        raise ValidationFailed("from must be before to.", details={"field": "from"})
    if start < now - MAX_RANGE - timedelta(days=1):
        raise ValidationFailed(
            "from reaches further back than metrics are kept (30 days).", details={"field": "from"}
        )
    if (end - start).total_seconds() / step > MAX_POINTS:
        raise ValidationFailed(
            f"The range holds more than {MAX_POINTS} steps of {step} s; use a later from or a longer step.",
            details={"field": "from"},
        )


def aggregate(samples: Sequence[Sample], start: datetime, step: int) -> list[Point]:
    """Points of `step` seconds from `start` (only steps with samples): averages of CPU and memory, the
    highest CPU, and the bytes the counters moved by (a counter that went down restarted from zero)."""
    buckets: dict[int, list[tuple[Sample, dict[str, int]]]] = {}
    previous: Sample | None = None
    for sample in samples:
        moved = {name: _moved(previous, sample, name) for name in _COUNTERS}
        index = int((sample.at - start).total_seconds() // step)
        buckets.setdefault(index, []).append((sample, moved))
        previous = sample
    points = []
    for index in sorted(buckets):
        rows = buckets[index]
        count = len(rows)
        points.append(
            Point(
                at=start + timedelta(seconds=index * step),
                samples=count,
                cpu_percent=round(sum(s.cpu_percent for s, _ in rows) / count, 2),
                cpu_percent_max=max(s.cpu_percent for s, _ in rows),
                memory_bytes=sum(s.memory_used_bytes for s, _ in rows) // count,
                memory_limit_bytes=max(s.memory_limit_bytes for s, _ in rows),
                network_rx_bytes=sum(m["network_rx_bytes"] for _, m in rows),
                network_tx_bytes=sum(m["network_tx_bytes"] for _, m in rows),
                block_read_bytes=sum(m["block_read_bytes"] for _, m in rows),
                block_write_bytes=sum(m["block_write_bytes"] for _, m in rows),
            )
        )
    return points


def _moved(previous: Sample | None, sample: Sample, name: str) -> int:
    if previous is None or sample.at - previous.at > timedelta(minutes=5):
        return 0  # no earlier reading to compare with
    now, before = int(getattr(sample, name)), int(getattr(previous, name))
    return now - before if now >= before else now


# name, type, help, value of a sample
_FAMILIES: tuple[tuple[str, str, str, str], ...] = (
    ("cpu_percent", "gauge", "CPU use in percent of one core, summed over replicas", "cpu_percent"),
    (
        "memory_usage_bytes",
        "gauge",
        "Memory in use without page cache, summed over replicas",
        "memory_used_bytes",
    ),
    ("memory_limit_bytes", "gauge", "Memory limit, summed over replicas", "memory_limit_bytes"),
    (
        "network_receive_bytes_total",
        "counter",
        "Bytes received since the replicas started",
        "network_rx_bytes",
    ),
    ("network_transmit_bytes_total", "counter", "Bytes sent since the replicas started", "network_tx_bytes"),
    ("block_read_bytes_total", "counter", "Bytes read from block devices", "block_read_bytes"),
    ("block_write_bytes_total", "counter", "Bytes written to block devices", "block_write_bytes"),
)


def prometheus_text(states: Iterable[ContainerState], collected_at: datetime | None) -> str:
    """The text exposition format (version 0.0.4) of the containers' latest samples; `up` is 1 for a container
    sampled in the last run and 0 otherwise."""
    states = list(states)
    lines: list[str] = []
    up = "containerstacks_container_up"
    lines += [f"# HELP {up} 1 when the container was running at the last collection", f"# TYPE {up} gauge"]
    lines += [f"{up}{{{_labels(s)}}} {1 if s.sample else 0}" for s in states]
    for name, kind, help_text, attr in _FAMILIES:
        full = f"containerstacks_container_{name}"
        lines += [f"# HELP {full} {help_text}", f"# TYPE {full} {kind}"]
        lines += [f"{full}{{{_labels(s)}}} {_number(getattr(s.sample, attr))}" for s in states if s.sample]
    stamp = "containerstacks_collected_timestamp_seconds"
    lines += [f"# HELP {stamp} When the collector last ran (Unix time)", f"# TYPE {stamp} gauge"]
    at = collected_at.astimezone(UTC).timestamp() if collected_at else 0
    lines.append(f"{stamp} {_number(at)}")
    return "\n".join(lines) + "\n"


def _labels(state: ContainerState) -> str:
    pairs = (("container_id", state.container_id), ("container_name", state.name), ("status", state.status))
    return ",".join(f'{key}="{_escape(value)}"' for key, value in pairs)


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _number(value: float | int) -> str:
    if isinstance(value, int):
        return str(value)
    return repr(float(value)) if value != int(value) else str(int(value))
