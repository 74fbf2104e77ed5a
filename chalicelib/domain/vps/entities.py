"""VPS reselling: providers, plans with our markup, SSH keys, VPS records, cost and reconciliation reports.

Money is integer cents; hourly prices are micro-dollars (1 cent = 10 000 micros), as billing's meters use.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from chalicelib.domain.vps.ports import ProviderRegion

ProviderKind = Literal["linode", "digitalocean", "aws", "gcp"]
PROVIDER_KINDS: tuple[ProviderKind, ...] = ("linode", "digitalocean", "aws", "gcp")
SUPPORTED_KINDS: tuple[ProviderKind, ...] = ("linode",)
MarkupKind = Literal["percent", "fixed"]
VpsStatus = Literal[
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
# What the provider reports, as the customer reads it (offline = stopped; anything unknown keeps ours).
PROVIDER_STATUS: dict[str, VpsStatus] = {
    "running": "running",
    "offline": "stopped",
    "booting": "booting",
    "rebooting": "rebooting",
    "shutting_down": "shutting_down",
    "migrating": "migrating",
    "deleting": "deleting",
}
# Settled statuses the provider's events and the customer's actions move between; the workflows own the rest.
LIVE: frozenset[VpsStatus] = frozenset(
    {"booting", "running", "shutting_down", "stopped", "rebooting", "migrating"}
)
MICROS_PER_CENT = 10_000
HOURS_PER_MONTH = 730
OUR_TAG = "containerstacks"  # every instance we create carries it: reconciliation lists them by it
VPS_TAG_PREFIX = "cs-vps-"
ORG_TAG_PREFIX = "cs-org-"


def vps_tag(vps_id: str) -> str:
    """The tag naming our VPS on its instance: a retried create finds the instance it made by it."""
    return f"{VPS_TAG_PREFIX}{vps_id}"


def org_tag(org_id: str) -> str:
    return f"{ORG_TAG_PREFIX}{org_id}"


def tagged_value(tags: tuple[str, ...], prefix: str) -> str | None:
    return next((t[len(prefix) :] for t in tags if t.startswith(prefix)), None)


@dataclass(frozen=True)
class PriceChange:
    """A plan whose provider price moved at a sync, as the provider's record keeps it until the next one."""

    plan_id: str
    name: str
    old_base_monthly_cents: int
    base_monthly_cents: int
    old_monthly_cents: int  # our price before
    monthly_cents: int  # our price now (the plan's markup rule kept)


@dataclass(frozen=True)
class Provider:
    """A provider account we resell (its API key and webhook secret live encrypted beside it)."""

    id: str
    name: str
    type: ProviderKind
    active: bool
    configuration: dict[str, str]
    key_last_four: str
    created_at: datetime
    updated_at: datetime
    regions: tuple[ProviderRegion, ...] = ()
    synced_at: datetime | None = None
    events_after: int | None = None  # the last account event the poller applied
    price_changes: tuple[PriceChange, ...] = ()  # plans whose price moved at the last sync
    version: int = 1

    @property
    def supported(self) -> bool:
        return self.type in SUPPORTED_KINDS

    @property
    def base_url(self) -> str | None:
        return self.configuration.get("base_url") or None


@dataclass(frozen=True)
class ProviderSecrets:
    """KMS envelope ciphertexts (encryption context: the provider id and what the secret is)."""

    api_key_encrypted: str
    webhook_secret_encrypted: str


@dataclass(frozen=True)
class Markup:
    """Our margin on a plan: `percent` in basis points (2500 = 25 %) or `fixed` cents per month."""

    kind: MarkupKind
    value: int

    def monthly_cents(self, base_cents: int) -> int:
        if self.kind == "percent":
            return math.ceil(base_cents * (10_000 + self.value) / 10_000)
        return base_cents + self.value

    def hourly_micros(self, base_micros: int) -> int:
        if self.kind == "percent":
            return math.ceil(base_micros * (10_000 + self.value) / 10_000)
        return base_micros + math.ceil(self.value * MICROS_PER_CENT / HOURS_PER_MONTH)


@dataclass(frozen=True)
class Plan:
    """A provider type we sell: its specifications, the provider's price to us and our markup."""

    id: str
    provider_id: str
    provider_plan_id: str
    name: str
    vcpus: int
    memory_mb: int
    disk_mb: int
    transfer_mb: int
    base_hourly_cents: int
    base_monthly_cents: int
    markup: Markup
    active: bool
    created_at: datetime
    updated_at: datetime

    @property
    def base_hourly_micros(self) -> int:
        return self.base_hourly_cents * MICROS_PER_CENT

    @property
    def hourly_micros(self) -> int:
        """What the customer pays per hour (the VPS meter's rate)."""
        return self.markup.hourly_micros(self.base_hourly_micros)

    @property
    def monthly_cents(self) -> int:
        """The markup_price: what the customer pays for a month."""
        return self.markup.monthly_cents(self.base_monthly_cents)


@dataclass(frozen=True)
class PlanChange:
    """A plan whose provider price moved on a re-sync (the markup rule stays; the price follows)."""

    plan: Plan
    old_hourly_cents: int
    old_monthly_cents: int
    old_monthly_price_cents: int


@dataclass(frozen=True)
class SyncResult:
    added: tuple[Plan, ...]
    changed: tuple[PlanChange, ...]
    unchanged: int
    withdrawn: tuple[Plan, ...]  # the provider no longer sells them: deactivated
    regions: int


@dataclass(frozen=True)
class SshKey:
    id: str
    user_id: str
    name: str
    public_key: str
    fingerprint: str
    created_at: datetime


@dataclass(frozen=True)
class Vps:
    """A customer's VPS. Prices are snapshots of the plan at creation; the root password is kept
    encrypted only until the provider has the instance."""

    id: str
    organization_id: str
    provider_id: str
    plan_id: str
    plan_name: str
    type_id: str  # the provider's type (Linode: g6-nanode-1)
    label: str
    region: str
    status: VpsStatus
    base_hourly_micros: int
    hourly_micros: int
    hold_cents: int
    created_by: str
    created_at: datetime
    updated_at: datetime
    status_reason: str | None = None
    provider_instance_id: str | None = None
    ipv4: tuple[str, ...] = ()
    ipv6: str | None = None
    ssh_key_ids: tuple[str, ...] = ()
    root_password_encrypted: str | None = None
    running_since: datetime | None = None  # metering started
    ended_at: datetime | None = None  # metering stopped (the provider confirmed the deletion)
    version: int = 1
    project_id: str | None = None  # the organization's project it is in (None: in none)

    @property
    def ip_address(self) -> str | None:
        return self.ipv4[0] if self.ipv4 else None

    @property
    def tag(self) -> str:
        return vps_tag(self.id)


@dataclass(frozen=True)
class CostLine:
    """Provider cost against our revenue over a period, for one plan, one organization or the total."""

    key: str
    label: str
    instances: int
    minutes: int
    cost_micros: int
    revenue_micros: int

    @property
    def margin_micros(self) -> int:
        return self.revenue_micros - self.cost_micros


@dataclass(frozen=True)
class CostReport:
    provider_id: str
    start: datetime
    end: datetime
    total: CostLine
    by_plan: tuple[CostLine, ...]
    by_organization: tuple[CostLine, ...]


@dataclass(frozen=True)
class Finding:
    """An instance or record reconciliation could not match."""

    kind: Literal["orphan", "ghost"]
    provider_instance_id: str | None
    vps_id: str | None
    organization_id: str | None
    label: str
    status: str


@dataclass(frozen=True)
class VpsReconciliation:
    id: str
    provider_id: str
    ran_at: datetime
    provider_instances: int
    records: int
    findings: tuple[Finding, ...] = field(default_factory=tuple)

    @property
    def orphans(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.kind == "orphan")

    @property
    def ghosts(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.kind == "ghost")


@dataclass(frozen=True)
class VpsPolicy:
    """The configurable rules of VPS reselling (settings CS_VPS_*)."""

    funded_hours: int = 24  # a create needs this many hours at the plan's price in the wallet (held)
    poll_seconds: int = 5  # the provisioning workflow checks the instance this often
    max_wait_seconds: int = 600  # ... and gives up (deleting it, refunding) after this long
    default_markup: Markup = Markup("percent", 2000)
    orphan_grace_seconds: int = 900  # an instance younger than this is not an orphan yet (in-flight create)
    report_email: str = ""  # where reconciliation findings are mailed
    loopback_only: bool = False  # local stages: providers are reached on this machine only (the sandbox)


def hold_cents(hourly_micros: int, hours: int) -> int:
    """What a create holds in the wallet: `hours` at the hourly price, rounded up to the cent."""
    return math.ceil(hourly_micros * hours / MICROS_PER_CENT)
