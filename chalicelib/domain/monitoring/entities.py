"""Monitoring: per-minute samples of containers, the latest snapshot of an organization and of the hosts,
alert rules with their state, alert events and the scoped read-only scrape tokens."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal

# One sample per running container per minute (the collector's schedule).
SAMPLE_PERIOD = timedelta(minutes=1)
MAX_RANGE = timedelta(days=30)  # the default retention: a range reaches no further back
MAX_POINTS = 1440  # a chart asks for at most one day of minutes, or a longer range at a coarser step
STEPS = (60, 300, 900, 3600, 21600, 86400)  # seconds: 1 min, 5 min, 15 min, 1 h, 6 h, 1 day

# What a metric rule can watch: the gauges (counters are charted and scraped, not alerted on).
Metric = Literal["cpu_percent", "memory_bytes", "memory_percent"]
METRICS: tuple[Metric, ...] = ("cpu_percent", "memory_bytes", "memory_percent")
Comparator = Literal["gt", "gte", "lt", "lte"]
EventKind = Literal["container_exited", "oom_killed", "host_unreachable", "backup_missed", "low_balance"]
EVENT_KINDS: dict[str, str] = {
    "container_exited": "A container stopped running by itself (exit code 0 or a failure)",
    "oom_killed": "The kernel killed a container's process for going over its memory limit",
    "host_unreachable": "The host a container runs on does not answer",
    "backup_missed": "A scheduled backup did not run or failed",
    "low_balance": "The prepaid balance is below the rule's threshold (dollars)",
}
# Not offered: a restart loop. Engine containers run with restart policy "no", so the engine never restarts
# one by itself; a restart is always a person's request.
RuleKind = Literal["metric", "event"]
AlertState = Literal["firing", "resolved"]
FIRING: AlertState = "firing"
RESOLVED: AlertState = "resolved"
MAX_RULES = 50  # per organization
MAX_DURATION_MINUTES = 1440
MAX_EMAILS = 5
ORG_SUBJECT = "organization"  # the subject of rules about the organization (balance, backups)


@dataclass(frozen=True)
class Sample:
    """One container's use in one minute, summed over its replicas. Network and block I/O are the engine's
    cumulative counters since the replica started (a drop means a replica restarted)."""

    container_id: str
    at: datetime  # the minute (seconds zeroed)
    cpu_percent: float  # 100 % = one core
    memory_used_bytes: int
    memory_limit_bytes: int
    network_rx_bytes: int
    network_tx_bytes: int
    block_read_bytes: int
    block_write_bytes: int


@dataclass(frozen=True)
class Point:
    """A step of a chart: averages of the gauges, and what the counters moved by within the step."""

    at: datetime
    samples: int
    cpu_percent: float
    cpu_percent_max: float
    memory_bytes: int
    memory_limit_bytes: int
    network_rx_bytes: int
    network_tx_bytes: int
    block_read_bytes: int
    block_write_bytes: int


@dataclass(frozen=True)
class ContainerState:
    """What the collector saw of one container in its last run (part of the organization's snapshot)."""

    container_id: str
    name: str
    host_id: str
    status: str  # the record's status
    sample: Sample | None  # None: not running, or its host did not answer
    oom_killed: bool = False
    host_reachable: bool = True


@dataclass(frozen=True)
class OrgSnapshot:
    organization_id: str
    at: datetime
    containers: tuple[ContainerState, ...]


@dataclass(frozen=True)
class HostUse:
    """One host in the collector's last run: capacity, what is allocated and what is used."""

    host_id: str
    name: str
    status: str
    reachable: bool
    cpu_capacity_millis: int
    memory_capacity_bytes: int
    cpu_allocated_millis: int
    memory_allocated_bytes: int
    running_containers: int
    cpu_percent: float
    memory_used_bytes: int


@dataclass(frozen=True)
class HostSnapshot:
    at: datetime
    hosts: tuple[HostUse, ...]


@dataclass(frozen=True)
class RuleRequest:
    """A validated POST /api/alerts body."""

    name: str
    kind: RuleKind
    metric: Metric | None = None
    comparator: Comparator | None = None
    threshold: float | None = None
    duration_minutes: int = 1
    event: EventKind | None = None
    container_id: str | None = None  # None: every container of the organization (event rules)
    emails: tuple[str, ...] = ()


@dataclass(frozen=True)
class AlertRule:
    id: str
    organization_id: str
    name: str
    kind: RuleKind
    metric: Metric | None
    comparator: Comparator | None
    threshold: float | None
    duration_minutes: int
    event: EventKind | None
    container_id: str | None
    emails: tuple[str, ...]
    created_by: str
    created_at: datetime
    # subject (container id or ORG_SUBJECT) -> id of its firing event; the evaluator's memory
    firing: dict[str, str] = field(default_factory=dict)
    version: int = 1


@dataclass(frozen=True)
class AlertEvent:
    id: str  # ULID: newest first when listed
    organization_id: str
    rule_id: str
    rule_name: str
    subject: str
    state: AlertState
    message: str
    value: float | None
    at: datetime
    resolved_at: datetime | None = None


@dataclass(frozen=True)
class ScrapeToken:
    id: str
    organization_id: str
    name: str
    prefix: str  # the first characters of the token, to tell tokens apart
    created_by: str
    created_at: datetime


@dataclass(frozen=True)
class CreatedScrapeToken:
    token: ScrapeToken
    secret: str  # shown once; only its hash is stored


def compare(comparator: Comparator, value: float, threshold: float) -> bool:
    if comparator == "gt":
        return value > threshold
    if comparator == "gte":
        return value >= threshold
    if comparator == "lt":
        return value < threshold
    return value <= threshold


def metric_value(metric: Metric, sample: Sample) -> float:
    """A sample's value of `metric`."""
    if metric == "cpu_percent":
        return sample.cpu_percent
    if metric == "memory_bytes":
        return float(sample.memory_used_bytes)
    limit = sample.memory_limit_bytes
    return round(100.0 * sample.memory_used_bytes / limit, 2) if limit else 0.0


def minute_of(moment: datetime) -> datetime:
    return moment.replace(second=0, microsecond=0)
