"""Wire models of monitoring: chart points, the system view, alert rules and events, scrape tokens."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, ConfigDict, Discriminator, Field, RootModel, Tag, field_validator

from chalicelib.api.wire import Cursor, NextCursor, Out, Strict
from chalicelib.domain.monitoring.entities import (
    MAX_DURATION_MINUTES,
    MAX_EMAILS,
    METRICS,
    STEPS,
    AlertEvent,
    AlertRule,
    AlertState,
    Comparator,
    CreatedScrapeToken,
    HostUse,
    Point,
    RuleKind,
    RuleRequest,
    ScrapeToken,
)
from chalicelib.domain.monitoring.service import OrgTotals, SystemView
from chalicelib.domain.shared.paging import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE

MetricName = Literal[METRICS]  # type: ignore[valid-type]


def _known_step(step: int) -> int:
    if step not in STEPS:
        raise ValueError(f"step must be one of {', '.join(map(str, STEPS))} seconds")
    return step


# An int (query strings are parsed), one of STEPS: the document lists them as its enum.
Step = Annotated[int, AfterValidator(_known_step), Field(json_schema_extra={"enum": list(STEPS)})]
Id = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9-]+$")]
Name = Annotated[str, Field(min_length=1, max_length=100, pattern=r"^\S(.*\S)?$")]
Email = Annotated[str, Field(min_length=3, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[A-Za-z0-9-]+$")]


class RangeQuery(Strict):
    from_: datetime | None = Field(
        default=None,
        alias="from",
        description="Start (ISO-8601; default: one hour before `to`); at most 30 days back",
    )
    to: datetime | None = Field(default=None, description="End, exclusive (ISO-8601; default: now)")
    step: Step = Field(
        default=60, description="Seconds per point; at most 1440 points per range (else 400 on from)"
    )


class PointOut(Out):
    at: datetime
    samples: Annotated[int, Field(description="Minute samples in the step")]
    cpu_percent: Annotated[float, Field(description="Average CPU, 100 = one core")]
    cpu_percent_max: float
    memory_bytes: Annotated[int, Field(description="Average memory in use")]
    memory_limit_bytes: int
    network_rx_bytes: Annotated[int, Field(description="Bytes received within the step")]
    network_tx_bytes: Annotated[int, Field(description="Bytes sent within the step")]
    block_read_bytes: Annotated[int, Field(description="Bytes read from disk within the step")]
    block_write_bytes: Annotated[int, Field(description="Bytes written to disk within the step")]

    @classmethod
    def of(cls, p: Point) -> PointOut:
        return cls(**p.__dict__)


class SeriesOut(Out):
    model_config = ConfigDict(defer_build=True, validate_by_name=True, serialize_by_alias=True)

    container_id: str
    from_: datetime = Field(alias="from")
    to: datetime
    step: int
    points: list[PointOut]

    @field_validator("points", mode="before")
    @classmethod
    def _points(cls, value: Any) -> Any:
        return [PointOut.of(p) if isinstance(p, Point) else p for p in value]


class OrgTotalsOut(Out):
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

    @classmethod
    def of(cls, t: OrgTotals) -> OrgTotalsOut:
        return cls(**t.__dict__)


class HostUseOut(Out):
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

    @classmethod
    def of(cls, h: HostUse) -> HostUseOut:
        return cls(**h.__dict__)


class SystemOut(Out):
    scope: Literal["organization", "platform"]
    collected_at: datetime | None
    organization: OrgTotalsOut | None = Field(description="Customers: the organization's totals")
    hosts: list[HostUseOut] | None = Field(description="Platform admins: every host's capacity and use")

    @classmethod
    def of(cls, view: SystemView) -> SystemOut:
        if view.hosts is not None:
            hosts = [HostUseOut.of(h) for h in view.hosts.hosts]
            return cls(scope="platform", collected_at=view.hosts.at, organization=None, hosts=hosts)
        org = OrgTotalsOut.of(view.organization) if view.organization else None
        return cls(
            scope="organization", collected_at=org.collected_at if org else None, organization=org, hosts=None
        )


class _RuleIn(Strict):
    name: Name
    emails: Annotated[list[Email], Field(max_length=MAX_EMAILS)] = Field(
        default_factory=list, description="Also mailed when the rule fires and resolves"
    )


class MetricRuleIn(_RuleIn):
    """Fires when the container's metric compares true for duration_minutes samples in a row."""

    kind: Literal["metric"]
    metric: MetricName
    comparator: Comparator = Field(description="gt, gte, lt, lte")
    threshold: Annotated[float, Field(ge=0, le=1e15, allow_inf_nan=False)] = Field(
        description="cpu_percent: 100 = one core; memory_bytes: bytes; memory_percent: of the limit"
    )
    duration_minutes: Annotated[int, Field(ge=1, le=MAX_DURATION_MINUTES)] = 1
    container_id: Id

    def to_domain(self) -> RuleRequest:
        return RuleRequest(
            self.name,
            "metric",
            self.metric,
            self.comparator,
            self.threshold,
            self.duration_minutes,
            None,
            self.container_id,
            tuple(self.emails),
        )


class ContainerEventRuleIn(_RuleIn):
    kind: Literal["event"]
    event: Literal["container_exited", "oom_killed", "host_unreachable"]
    container_id: Id | None = Field(default=None, description="Only this container (default: all of them)")

    def to_domain(self) -> RuleRequest:
        return RuleRequest(
            self.name, "event", event=self.event, container_id=self.container_id, emails=tuple(self.emails)
        )


class BackupMissedRuleIn(_RuleIn):
    kind: Literal["event"]
    event: Literal["backup_missed"]

    def to_domain(self) -> RuleRequest:
        return RuleRequest(self.name, "event", event=self.event, emails=tuple(self.emails))


class LowBalanceRuleIn(_RuleIn):
    kind: Literal["event"]
    event: Literal["low_balance"]
    threshold: Annotated[float, Field(ge=0, le=1e9, allow_inf_nan=False)] = Field(
        description="Fires while the balance is below this many dollars"
    )

    def to_domain(self) -> RuleRequest:
        return RuleRequest(
            self.name, "event", threshold=self.threshold, event=self.event, emails=tuple(self.emails)
        )


def _rule_tag(value: Any) -> str | None:
    """Which rule a body is: "metric", or the event it watches (container events share one shape)."""
    kind = value.get("kind") if isinstance(value, dict) else getattr(value, "kind", None)
    if kind == "metric":
        return "metric"
    event = value.get("event") if isinstance(value, dict) else getattr(value, "event", None)
    if kind == "event" and event in ("container_exited", "oom_killed", "host_unreachable"):
        return "container_event"
    return str(event) if kind == "event" and event in ("backup_missed", "low_balance") else None


RuleBody = Annotated[
    Annotated[MetricRuleIn, Tag("metric")]
    | Annotated[ContainerEventRuleIn, Tag("container_event")]
    | Annotated[BackupMissedRuleIn, Tag("backup_missed")]
    | Annotated[LowBalanceRuleIn, Tag("low_balance")],
    Discriminator(
        _rule_tag,
        custom_error_type="rule_kind",
        custom_error_message="kind must be metric or event, and event one of the event kinds",
    ),
]


class AlertRuleIn(RootModel[RuleBody]):
    """A metric rule or an event rule."""

    model_config = ConfigDict(defer_build=True)

    def to_domain(self) -> RuleRequest:
        return self.root.to_domain()


class AlertRuleOut(Out):
    id: str
    name: str
    kind: RuleKind
    metric: str | None
    comparator: str | None
    threshold: float | None
    duration_minutes: int
    event: str | None
    container_id: str | None
    emails: list[str]
    firing: Annotated[list[str], Field(description="Subjects (container ids, organization) firing now")]
    created_at: datetime

    @classmethod
    def of(cls, r: AlertRule) -> AlertRuleOut:
        return cls(
            id=r.id,
            name=r.name,
            kind=r.kind,
            metric=r.metric,
            comparator=r.comparator,
            threshold=r.threshold,
            duration_minutes=r.duration_minutes,
            event=r.event,
            container_id=r.container_id,
            emails=list(r.emails),
            firing=sorted(r.firing),
            created_at=r.created_at,
        )


class AlertRuleListOut(Out):
    rules: list[AlertRuleOut]
    event_kinds: dict[str, str]


class EventQuery(Strict):
    limit: Annotated[int, Field(ge=1, le=MAX_PAGE_SIZE)] = DEFAULT_PAGE_SIZE
    cursor: Cursor | None = None


class AlertEventOut(Out):
    id: str
    rule_id: str
    rule_name: str
    subject: str
    state: AlertState
    message: str
    value: float | None
    at: datetime
    resolved_at: datetime | None

    @classmethod
    def of(cls, e: AlertEvent) -> AlertEventOut:
        return cls(**{k: v for k, v in e.__dict__.items() if k != "organization_id"})


class AlertEventListOut(Out):
    events: list[AlertEventOut]
    next_cursor: NextCursor = None


class ScrapeTokenIn(Strict):
    name: Name


class ScrapeTokenOut(Out):
    id: str
    name: str
    prefix: str
    created_at: datetime

    @classmethod
    def of(cls, t: ScrapeToken) -> ScrapeTokenOut:
        return cls(id=t.id, name=t.name, prefix=t.prefix, created_at=t.created_at)


class ScrapeTokenCreatedOut(ScrapeTokenOut):
    token: Annotated[str, Field(description="Shown once: send it as 'Authorization: Bearer <token>'")]

    @classmethod
    def created(cls, c: CreatedScrapeToken) -> ScrapeTokenCreatedOut:
        return cls(token=c.secret, **ScrapeTokenOut.of(c.token).model_dump())


class ScrapeTokenListOut(Out):
    tokens: list[ScrapeTokenOut]
