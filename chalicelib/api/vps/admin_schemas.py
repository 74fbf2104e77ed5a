"""Wire models of the providers' routes (administrators): accounts, keys (never returned, last four shown),
plan sync and markup, costs against revenue, reconciliation reports."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field, field_validator

from chalicelib.api.billing.schemas import Money
from chalicelib.api.vps.schemas import VpsPlanOut
from chalicelib.api.wire import NextCursor, Out, Strict
from chalicelib.domain.shared.money import format_cents
from chalicelib.domain.vps.catalog import PlanChanges
from chalicelib.domain.vps.entities import (
    CostLine,
    CostReport,
    Finding,
    Markup,
    PriceChange,
    Provider,
    SyncResult,
    VpsReconciliation,
)
from chalicelib.domain.vps.ports import ProviderCheck
from chalicelib.domain.vps.providers import ProviderChanges, ProviderRequest

ProviderName = Annotated[str, Field(min_length=1, max_length=100, pattern=r"^[^\x00-\x1f\x7f]+$")]
ApiKey = Annotated[
    str,
    Field(
        min_length=8,
        max_length=512,
        pattern=r"^[\x21-\x7e]+$",
        description="The provider's API token (stored encrypted; never shown again except its last four)",
    ),
]
ConfigKey = Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[a-z][a-z0-9_]*$")]
ConfigValue = Annotated[str, Field(max_length=500, pattern=r"^[\x20-\x7e]*$")]
Configuration = Annotated[
    dict[ConfigKey, ConfigValue],
    Field(
        max_length=10,
        description="Provider settings. base_url: the provider's API elsewhere (https, or http on 127.0.0.1 "
        "for the local sandbox; another is a 400 naming configuration.base_url)",
    ),
]
ProviderType = Literal["linode", "digitalocean", "aws", "gcp"]


class ProviderIn(Strict):
    name: ProviderName
    type: ProviderType = Field(description="linode is supported; the others are stored but not usable yet")
    api_key: ApiKey
    configuration: Configuration = Field(default_factory=dict)
    active: bool = True

    def to_domain(self) -> ProviderRequest:
        return ProviderRequest(self.name, self.type, self.api_key, dict(self.configuration), self.active)


class ProviderUpdateIn(Strict):
    name: ProviderName | None = None
    api_key: ApiKey | None = Field(default=None, description="Rotate the key: the new one replaces the old")
    configuration: Configuration | None = None
    active: bool | None = None
    rotate_webhook_secret: bool = Field(default=False, description="Answer a new webhook secret (once)")

    def to_domain(self) -> ProviderChanges:
        return ProviderChanges(
            self.name,
            self.api_key,
            dict(self.configuration) if self.configuration is not None else None,
            self.active,
            self.rotate_webhook_secret,
        )


class PriceChangeOut(Out):
    plan_id: str
    name: str
    old_base_price: Money = Field(description="The provider's monthly price before the sync")
    base_price: Money
    old_price_per_month: Money = Field(description="Our monthly price before (the markup rule is kept)")
    price_per_month: Money

    @classmethod
    def of(cls, c: PriceChange) -> PriceChangeOut:
        return cls(
            plan_id=c.plan_id,
            name=c.name,
            old_base_price=format_cents(c.old_base_monthly_cents),
            base_price=format_cents(c.base_monthly_cents),
            old_price_per_month=format_cents(c.old_monthly_cents),
            price_per_month=format_cents(c.monthly_cents),
        )


class ProviderOut(Out):
    id: str
    name: str
    type: ProviderType
    supported: bool = Field(description="false: stored, but VPS cannot be bought there yet")
    active: bool
    configuration: dict[str, str]
    api_key_last_four: str = Field(description="The key itself is never returned")
    regions: int = Field(description="Regions found by the last plan sync")
    synced_at: datetime | None
    price_changes: list[PriceChangeOut] = Field(
        description="Plans whose provider price moved at the last sync"
    )
    events_after: int | None = Field(description="The last provider account event applied")
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, p: Provider) -> ProviderOut:
        return cls.model_validate(_provider_fields(p))


def _provider_fields(p: Provider) -> dict[str, object]:
    return {
        "id": p.id,
        "name": p.name,
        "type": p.type,
        "supported": p.supported,
        "active": p.active,
        "configuration": p.configuration,
        "api_key_last_four": p.key_last_four,
        "regions": len(p.regions),
        "synced_at": p.synced_at,
        "price_changes": [PriceChangeOut.of(c) for c in p.price_changes],
        "events_after": p.events_after,
        "created_at": p.created_at,
        "updated_at": p.updated_at,
    }


class ProviderSecretOut(ProviderOut):
    webhook_secret: str | None = Field(
        description="Signs POST /api/webhooks/linode deliveries (X-CS-Signature: sha256=<HMAC-SHA256 of the "
        "body, hex>); shown only when created or rotated"
    )

    @classmethod
    def with_secret(cls, p: Provider, secret: str | None) -> ProviderSecretOut:
        return cls.model_validate({**_provider_fields(p), "webhook_secret": secret})


class ProviderListOut(Out):
    providers: list[ProviderOut]


class ProviderCheckOut(Out):
    ok: bool
    account: str
    regions: int
    types: int
    instances: int

    @classmethod
    def of(cls, c: ProviderCheck) -> ProviderCheckOut:
        return cls(ok=True, account=c.account, regions=c.regions, types=c.types, instances=c.instances)


class PlanChangeOut(Out):
    plan: VpsPlanOut
    old_base_price: Money
    old_price_per_month: Money


class SyncOut(Out):
    added: list[VpsPlanOut]
    changed: list[PlanChangeOut] = Field(
        description="Plans whose provider price moved (their markup rule kept)"
    )
    unchanged: int
    withdrawn: list[VpsPlanOut] = Field(description="No longer sold by the provider: deactivated")
    regions: int

    @classmethod
    def of(cls, r: SyncResult) -> SyncOut:
        return cls(
            added=[VpsPlanOut.of(p, admin=True) for p in r.added],
            changed=[
                PlanChangeOut(
                    plan=VpsPlanOut.of(c.plan, admin=True),
                    old_base_price=format_cents(c.old_monthly_cents),
                    old_price_per_month=format_cents(c.old_monthly_price_cents),
                )
                for c in r.changed
            ],
            unchanged=r.unchanged,
            withdrawn=[VpsPlanOut.of(p, admin=True) for p in r.withdrawn],
            regions=r.regions,
        )


class PercentMarkupIn(Strict):
    type: Literal["percent"]
    value: Annotated[
        Decimal, Field(ge=0, le=1000, decimal_places=2, description="Percent on top of the base")
    ]

    def to_domain(self) -> Markup:
        return Markup("percent", int(self.value * 100))


class FixedMarkupIn(Strict):
    type: Literal["fixed"]
    value: Annotated[
        Decimal, Field(ge=0, le=100000, decimal_places=2, description="USD added per month (pro rata hourly)")
    ]

    def to_domain(self) -> Markup:
        return Markup("fixed", int(self.value * 100))


class PlanUpdateIn(Strict):
    markup: PercentMarkupIn | FixedMarkupIn | None = Field(default=None, discriminator="type")
    active: bool | None = None
    name: ProviderName | None = None

    def to_domain(self) -> PlanChanges:
        return PlanChanges(self.markup.to_domain() if self.markup else None, self.active, self.name)


def _utc(value: datetime | None) -> datetime | None:
    """Naive times are UTC; times that cannot be expressed in UTC are clamped to its range."""
    if value is None:
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    try:
        return value.astimezone(UTC)
    except OverflowError:
        return datetime.min.replace(tzinfo=UTC) if value.year < 2 else datetime.max.replace(tzinfo=UTC)


class CostsQuery(Strict):
    start: datetime | None = Field(
        default=None,
        alias="from",
        description="Start (default: the first of this month, UTC); must be before to",
    )
    end: datetime | None = Field(
        default=None, alias="to", description="End (default and at most: now); at most 366 days after from"
    )

    @field_validator("start", "end")
    @classmethod
    def _in_utc(cls, value: datetime | None) -> datetime | None:
        return _utc(value)


def micros_money(micros: int) -> str:
    return format_cents((micros + 5_000) // 10_000 if micros >= 0 else -((-micros + 5_000) // 10_000))


class CostLineOut(Out):
    id: str
    label: str
    instances: int
    hours: str = Field(description="Metered hours in the period, two decimals")
    provider_cost: Money
    revenue: Money
    margin: Money

    @classmethod
    def of(cls, c: CostLine) -> CostLineOut:
        return cls(
            id=c.key,
            label=c.label,
            instances=c.instances,
            hours=f"{c.minutes / 60:.2f}",
            provider_cost=micros_money(c.cost_micros),
            revenue=micros_money(c.revenue_micros),
            margin=micros_money(c.margin_micros),
        )


class CostsOut(Out):
    provider_id: str
    period_start: datetime = Field(description="The report's from")
    period_end: datetime = Field(description="The report's to (at most now)")
    total: CostLineOut
    by_plan: list[CostLineOut]
    by_organization: list[CostLineOut]

    @classmethod
    def of(cls, r: CostReport) -> CostsOut:
        return cls(
            provider_id=r.provider_id,
            period_start=r.start,
            period_end=r.end,
            total=CostLineOut.of(r.total),
            by_plan=[CostLineOut.of(c) for c in r.by_plan],
            by_organization=[CostLineOut.of(c) for c in r.by_organization],
        )


class VpsFindingOut(Out):
    kind: Literal["orphan", "ghost"]
    provider_instance_id: str | None
    vps_id: str | None
    organization_id: str | None
    label: str
    status: str

    @classmethod
    def of(cls, f: Finding) -> VpsFindingOut:
        return cls(
            kind=f.kind,
            provider_instance_id=f.provider_instance_id,
            vps_id=f.vps_id,
            organization_id=f.organization_id,
            label=f.label,
            status=f.status,
        )


class VpsReconciliationOut(Out):
    id: str
    provider_id: str
    ran_at: datetime
    provider_instances: int
    records: int
    orphans: list[VpsFindingOut] = Field(description="At the provider under our tag, with no VPS record")
    ghosts: list[VpsFindingOut] = Field(description="On record, gone at the provider")

    @classmethod
    def of(cls, r: VpsReconciliation) -> VpsReconciliationOut:
        return cls(
            id=r.id,
            provider_id=r.provider_id,
            ran_at=r.ran_at,
            provider_instances=r.provider_instances,
            records=r.records,
            orphans=[VpsFindingOut.of(f) for f in r.orphans],
            ghosts=[VpsFindingOut.of(f) for f in r.ghosts],
        )


class VpsReconciliationListOut(Out):
    reconciliations: list[VpsReconciliationOut]
    next_cursor: NextCursor
