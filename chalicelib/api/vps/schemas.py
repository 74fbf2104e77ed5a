"""Wire models of customers' VPS: plans and regions on sale, SSH keys, VPS records. Prices as billing writes
them: money with two decimals, hourly rates with six (micro-dollars)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import Field
from pydantic.json_schema import SkipJsonSchema

from chalicelib.api.billing.schemas import Money, Rate, rate
from chalicelib.api.containers.schemas import ProjectId
from chalicelib.api.wire import NextCursor, Out, Strict
from chalicelib.domain.shared.money import format_cents
from chalicelib.domain.vps.catalog import Region
from chalicelib.domain.vps.entities import Markup, Plan, SshKey, Vps
from chalicelib.domain.vps.service import VpsRequest
from chalicelib.domain.vps.sshkeys import MAX_KEY_LENGTH

Id = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]
Label = Annotated[
    str,
    Field(
        min_length=1,
        max_length=64,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$",
        examples=["web-1"],
        description="Letters, digits, '_', '.', '-' (starting with a letter or digit)",
    ),
]
RegionId = Annotated[
    str,
    Field(
        min_length=1,
        max_length=64,
        pattern=r"^[a-z0-9-]+$",
        examples=["us-east"],
        description="One of GET /api/vps/regions for the plan's provider (another is a 400 naming region)",
    ),
]


def _no_default(schema: dict[str, Any]) -> None:
    """Omitted means none; None is not a value the document offers."""
    schema.pop("default", None)


class VpsCreateIn(Strict):
    """The seed's body, plus the SSH keys (GET /api/users/ssh-keys) to put in root's authorized_keys."""

    plan_id: Id = Field(description="A plan of GET /api/vps/plans (another is a 400 naming plan_id)")
    region: RegionId
    label: Label
    ssh_key_ids: list[Id] = Field(
        default_factory=list,
        max_length=10,
        description="Ids of the caller's SSH keys (an unknown one is a 400 naming ssh_key_ids)",
    )
    project_id: ProjectId | SkipJsonSchema[None] = Field(
        default=None,
        description="The project to put it in (a member limited to projects must name one)",
        json_schema_extra=_no_default,
    )

    def to_domain(self) -> VpsRequest:
        return VpsRequest(self.plan_id, self.region, self.label, tuple(self.ssh_key_ids), self.project_id)


VpsStatusOut = Literal[
    "provisioning",
    "booting",
    "running",
    "shutting_down",
    "stopped",
    "rebooting",
    "migrating",
    "deleting",
    "deleted",
    "error",
]


class VpsOut(Out):
    id: str
    vps_id: str = Field(description="The seed's name for id")
    organization_id: str
    label: str
    status: VpsStatusOut
    status_reason: str | None = Field(description="Why it is in error (or what failed last), for people")
    plan_id: str
    plan_name: str
    region: str
    ip_address: str | None = Field(description="The first public IPv4 address, once the provider assigned it")
    ipv4: list[str]
    ipv6: str | None
    price_per_hour: Rate
    ssh_key_ids: list[str]
    project_id: str | None = Field(description="The project it is in (null: none)")
    running_since: datetime | None = Field(description="Metering started (billed by the hour from here)")
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, v: Vps) -> VpsOut:
        return cls.model_validate(_vps_fields(v))


def _vps_fields(v: Vps) -> dict[str, object]:
    return {
        "id": v.id,
        "vps_id": v.id,
        "organization_id": v.organization_id,
        "label": v.label,
        "status": v.status,
        "status_reason": v.status_reason,
        "plan_id": v.plan_id,
        "plan_name": v.plan_name,
        "region": v.region,
        "ip_address": v.ip_address,
        "ipv4": list(v.ipv4),
        "ipv6": v.ipv6,
        "price_per_hour": rate(v.hourly_micros),
        "ssh_key_ids": list(v.ssh_key_ids),
        "project_id": v.project_id,
        "running_since": v.running_since,
        "created_at": v.created_at,
        "updated_at": v.updated_at,
    }


class VpsCreatedOut(VpsOut):
    root_password: str = Field(
        description="The generated root password, shown in this answer only (log in with it or the SSH keys)"
    )

    @classmethod
    def created(cls, v: Vps, password: str) -> VpsCreatedOut:
        return cls.model_validate({**_vps_fields(v), "root_password": password})


class VpsListOut(Out):
    vps: list[VpsOut]
    next_cursor: NextCursor


class MarkupOut(Out):
    type: Literal["percent", "fixed"]
    value: str = Field(description="percent: e.g. '25.00' (%); fixed: USD added per month, e.g. '2.00'")

    @classmethod
    def of(cls, m: Markup) -> MarkupOut:
        return cls(type=m.kind, value=format_cents(m.value))


class VpsPlanOut(Out):
    """Customers see our prices; administrators also see the provider's price and the markup rule."""

    id: str
    provider_id: str
    name: str
    provider_plan_id: str
    vcpus: int
    memory_mb: int
    disk_mb: int
    transfer_mb: int
    price_per_hour: Rate
    price_per_month: Money
    markup_price: Money = Field(description="The seed's name for price_per_month")
    active: bool
    base_price: Money | None = Field(default=None, description="Administrators: the provider's monthly price")
    base_price_per_hour: Rate | None = Field(
        default=None, description="Administrators: the provider's hourly"
    )
    markup: MarkupOut | None = Field(default=None, description="Administrators: the margin rule")

    @classmethod
    def of(cls, p: Plan, *, admin: bool) -> VpsPlanOut:
        return cls(
            id=p.id,
            provider_id=p.provider_id,
            name=p.name,
            provider_plan_id=p.provider_plan_id,
            vcpus=p.vcpus,
            memory_mb=p.memory_mb,
            disk_mb=p.disk_mb,
            transfer_mb=p.transfer_mb,
            price_per_hour=rate(p.hourly_micros),
            price_per_month=format_cents(p.monthly_cents),
            markup_price=format_cents(p.monthly_cents),
            active=p.active,
            base_price=format_cents(p.base_monthly_cents) if admin else None,
            base_price_per_hour=rate(p.base_hourly_micros) if admin else None,
            markup=MarkupOut.of(p.markup) if admin else None,
        )


class VpsPlanListOut(Out):
    plans: list[VpsPlanOut]


class RegionOut(Out):
    id: str
    label: str
    country: str
    status: str
    provider_id: str

    @classmethod
    def of(cls, r: Region) -> RegionOut:
        return cls(
            id=r.region.id,
            label=r.region.label,
            country=r.region.country,
            status=r.region.status,
            provider_id=r.provider_id,
        )


class RegionListOut(Out):
    regions: list[RegionOut]


class SshKeyIn(Strict):
    name: Annotated[str, Field(min_length=1, max_length=100, pattern=r"^[^\x00-\x1f\x7f]+$")]
    public_key: Annotated[
        str,
        Field(
            min_length=1,
            max_length=MAX_KEY_LENGTH,
            pattern=r"^[^\r\n]+$",
            examples=["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI... me@laptop"],
            description="One OpenSSH public key line (a key sshd would refuse is a 400 naming public_key)",
        ),
    ]


class SshKeyOut(Out):
    id: str
    name: str
    public_key: str
    fingerprint: str = Field(description="SHA256 fingerprint, as ssh-keygen -l prints it")
    created_at: datetime

    @classmethod
    def of(cls, k: SshKey) -> SshKeyOut:
        return cls(
            id=k.id, name=k.name, public_key=k.public_key, fingerprint=k.fingerprint, created_at=k.created_at
        )


class SshKeyListOut(Out):
    ssh_keys: list[SshKeyOut]


class LinodeWebhookOut(Out):
    status: Literal["applied", "unchanged", "duplicate", "ignored"]
