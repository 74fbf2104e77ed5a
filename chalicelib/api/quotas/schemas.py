"""Wire models of packages and quotas. Limits are quantities as containers write them (cpu "4" or "500m",
memory "8Gi"); null is unlimited. Prices are USD with six decimals, as the billing price list."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field

from chalicelib.api.billing.admin_schemas import PricingIn
from chalicelib.api.billing.schemas import Rate, rate
from chalicelib.api.wire import Out, Strict
from chalicelib.domain.billing.entities import Pricing
from chalicelib.domain.quotas.entities import (
    LABELS,
    LIMIT_NAMES,
    MAX_COUNT,
    UNITS,
    Limits,
    Package,
    show,
)
from chalicelib.domain.quotas.service import Resources
from chalicelib.domain.shared import quantities

# Cores with up to three decimals (at most 100 000), or millicores; bytes in Mi/Gi/Ti.
CPU_LIMIT_PATTERN = r"^(?:(?:0|[1-9][0-9]{0,4})(?:\.[0-9]{1,3})?|100000|(?:0|[1-9][0-9]{0,7})m)$"
BYTES_LIMIT_PATTERN = r"^(?:0|[1-9][0-9]{0,6})(?:Mi|Gi|Ti)$"
PACKAGE_ID_PATTERN = r"^[A-Za-z0-9-]{1,64}$"

Count = Annotated[int, Field(ge=0, le=MAX_COUNT)] | None
CpuLimit = Annotated[
    str | None, Field(pattern=CPU_LIMIT_PATTERN, examples=["4"], description="Cores ('4', '0.5') or '500m'")
]
BytesLimit = Annotated[str | None, Field(pattern=BYTES_LIMIT_PATTERN, examples=["8Gi"])]
PackageId = Annotated[str, Field(pattern=PACKAGE_ID_PATTERN, examples=["default"])]


class LimitsIn(Strict):
    """Every limit must be given; null means unlimited."""

    containers: Count
    cpu: CpuLimit
    memory: BytesLimit
    storage: BytesLimit
    vps: Count
    backups: Count

    def to_domain(self) -> Limits:
        return Limits(
            containers=self.containers,
            cpu_millis=quantities.parse_cpu_millis(self.cpu) if self.cpu is not None else None,
            memory_bytes=quantities.parse_bytes(self.memory) if self.memory is not None else None,
            storage_bytes=quantities.parse_bytes(self.storage) if self.storage is not None else None,
            vps=self.vps,
            backups=self.backups,
        )


class PackageIn(Strict):
    name: Annotated[str, Field(min_length=1, max_length=100, pattern=r"\S")]
    description: Annotated[str, Field(max_length=500)] = ""
    limits: LimitsIn
    pricing: PricingIn | None = Field(
        default=None, description="The package's own container prices; null: the platform's price list"
    )

    def pricing_domain(self, currency: str) -> Pricing | None:
        return self.pricing.to_domain(currency) if self.pricing is not None else None


class LimitsOut(Out):
    containers: int | None
    cpu: str | None
    memory: str | None
    storage: str | None
    vps: int | None
    backups: int | None

    @classmethod
    def of(cls, limits: Limits) -> LimitsOut:
        def size(value: int | None) -> str | None:
            return quantities.format_bytes(value) if value is not None else None

        return cls(
            containers=limits.containers,
            cpu=quantities.format_cpu(limits.cpu_millis) if limits.cpu_millis is not None else None,
            memory=size(limits.memory_bytes),
            storage=size(limits.storage_bytes),
            vps=limits.vps,
            backups=limits.backups,
        )


class PricesOut(Out):
    currency: str
    cpu_per_vcpu_hour: Rate
    memory_per_gib_hour: Rate
    storage_per_gib_month: Rate

    @classmethod
    def of(cls, p: Pricing) -> PricesOut:
        return cls(
            currency=p.currency,
            cpu_per_vcpu_hour=rate(p.cpu_hour_micros),
            memory_per_gib_hour=rate(p.memory_gib_hour_micros),
            storage_per_gib_month=rate(p.storage_gib_month_micros),
        )


class PackageOut(Out):
    id: str
    name: str
    description: str
    is_default: bool
    limits: LimitsOut
    pricing: PricesOut | None = Field(description="Its own container prices; null: the platform's")
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, p: Package) -> PackageOut:
        return cls(
            id=p.id,
            name=p.name,
            description=p.description,
            is_default=p.is_default,
            limits=LimitsOut.of(p.limits),
            pricing=PricesOut.of(p.pricing) if p.pricing else None,
            created_at=p.created_at,
            updated_at=p.updated_at,
        )


class PackageListOut(Out):
    packages: list[PackageOut]


class AssignIn(Strict):
    package_id: PackageId


class AssignOut(Out):
    organization_id: str
    package: PackageOut


class LimitOut(Out):
    name: Literal["containers", "cpu", "memory", "storage", "vps", "backups"]
    label: str
    unit: Literal["count", "millicores", "bytes"]
    used: int = Field(description="In `unit`")
    limit: int | None = Field(description="In `unit`; null: unlimited")
    used_display: str
    limit_display: str | None


class OrgResourcesOut(Out):
    package: PackageOut
    limits: list[LimitOut]
    pricing: PricesOut = Field(description="What the organization's containers cost (its package's prices)")

    @classmethod
    def of(cls, r: Resources) -> OrgResourcesOut:
        used, allowed = r.usage.by_name(), r.package.limits.by_name()
        rows = [
            LimitOut(
                name=name,  # type: ignore[arg-type]  # one of LIMIT_NAMES
                label=LABELS[name],
                unit=UNITS[name],  # type: ignore[arg-type]
                used=used[name],
                limit=allowed[name],
                used_display=show(name, used[name]),
                limit_display=show(name, limit) if (limit := allowed[name]) is not None else None,
            )
            for name in LIMIT_NAMES
        ]
        return cls(package=PackageOut.of(r.package), limits=rows, pricing=PricesOut.of(r.pricing))
