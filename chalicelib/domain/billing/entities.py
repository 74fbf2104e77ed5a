"""Billing records and the arithmetic of money: wallet, ledger, payments, meters, prices, invoices.

Money is integer cents; metered rates and accrued usage are micro-dollars (1 cent = 10 000 micros).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Literal

MICROS_PER_CENT = 10_000
GIB = 2**30
HOURS_PER_MONTH = 730  # storage is priced per GiB-month; a month is 730 hours (365 * 24 / 12)
MINUTE = timedelta(minutes=1)

# reservation: money held while a VPS is created (< 0) and given back (> 0); never an invoice line
EntryKind = Literal["topup", "usage", "refund", "adjustment", "charge", "reservation"]
PaymentStatus = Literal["created", "approved", "captured", "failed", "cancelled", "vault_setup", "vaulted"]
InvoiceStatus = Literal["pending", "paid", "overdue", "cancelled"]


@dataclass(frozen=True)
class Wallet:
    """The organization's prepaid balance; `version` counts the movements applied to it."""

    organization_id: str
    balance_cents: int
    currency: str
    version: int


@dataclass(frozen=True)
class Posting:
    """One money movement to apply. `key` makes it idempotent: a key is applied once, ever."""

    key: str
    kind: EntryKind
    amount_cents: int  # signed: credits > 0, debits < 0
    description: str
    created_by: str
    reference: str | None = None
    resource_id: str | None = None
    resource_name: str | None = None
    resource_kind: str | None = None  # usage: what the resource is (the meter's kind: container, vps)
    period_start: datetime | None = None
    period_end: datetime | None = None
    quantity_minutes: int | None = None
    reason: str | None = None
    day: str | None = None  # top-ups: the UTC day PayPal captured it (reconciliation looks it up)


@dataclass(frozen=True)
class LedgerEntry:
    """An applied Posting: immutable, with the balance right after it."""

    id: str
    organization_id: str
    kind: EntryKind
    amount_cents: int
    balance_after_cents: int
    currency: str
    description: str
    idempotency_key: str
    created_by: str
    created_at: datetime
    reference: str | None = None
    resource_id: str | None = None
    resource_name: str | None = None
    resource_kind: str | None = None  # usage: what the resource is (the meter's kind: container, vps)
    period_start: datetime | None = None
    period_end: datetime | None = None
    quantity_minutes: int | None = None
    reason: str | None = None


@dataclass(frozen=True)
class Payment:
    """A PayPal order started by add-funds; credited once its capture is applied."""

    order_id: str
    organization_id: str
    amount_cents: int
    currency: str
    status: PaymentStatus
    created_by: str
    created_at: datetime
    approval_url: str | None = None
    capture_id: str | None = None
    ledger_id: str | None = None


@dataclass(frozen=True)
class PaymentMethod:
    """A saved PayPal vault token: add-funds with it captures at once."""

    id: str
    organization_id: str
    provider: str
    vault_token_id: str
    label: str
    created_by: str
    created_at: datetime


@dataclass(frozen=True)
class Pricing:
    """The container price list the admin controls, in micro-dollars."""

    cpu_hour_micros: int = 12_000  # per vCPU-hour
    memory_gib_hour_micros: int = 4_000  # per GiB-hour of memory
    storage_gib_month_micros: int = 100_000  # per GiB-month of storage
    currency: str = "USD"

    def hourly_micros(self, usage: MeterUsage) -> int:
        """The price of one hour of `usage` (rounded to the micro-dollar)."""
        if usage.hourly_micros is not None:
            return usage.hourly_micros
        cpu = usage.cpu_millis * self.cpu_hour_micros / 1000
        memory = usage.memory_bytes * self.memory_gib_hour_micros / GIB
        storage = usage.storage_bytes * self.storage_gib_month_micros / GIB / HOURS_PER_MONTH
        return round(cpu + memory + storage)


@dataclass(frozen=True)
class MeterUsage:
    """What a resource holds from `at` on: CPU/memory/storage (containers) or a fixed hourly price (VPS)."""

    at: datetime
    cpu_millis: int = 0
    memory_bytes: int = 0
    storage_bytes: int = 0
    hourly_micros: int | None = None


@dataclass(frozen=True)
class Meter:
    """A metered resource from creation to deletion. `changes` are its sizes over time (oldest first)."""

    organization_id: str
    resource_id: str
    kind: str
    name: str
    changes: tuple[MeterUsage, ...]
    ended_at: datetime | None
    billed_until: datetime | None
    carry_micros: int = 0

    @property
    def started_at(self) -> datetime | None:
        return self.changes[0].at if self.changes else None


@dataclass(frozen=True)
class MeterCharge:
    """What one billing run charges for one meter, and how the meter moves on."""

    meter: Meter
    start: datetime
    end: datetime
    minutes: int
    cents: int
    carry_micros: int
    finished: bool  # the resource is deleted and fully billed: the meter goes


@dataclass(frozen=True)
class BillingState:
    """Where an organization stands: episodes of running out of money, suspension, warnings sent."""

    organization_id: str
    zero_since: datetime | None = None
    suspended_at: datetime | None = None
    suspended_ids: tuple[str, ...] = ()
    warned_below_hours: int | None = None
    termination_notice_at: datetime | None = None
    terminated_at: datetime | None = None


@dataclass(frozen=True)
class InvoiceLine:
    description: str
    quantity: str
    amount_cents: int
    resource_id: str | None = None


@dataclass(frozen=True)
class Party:
    name: str
    address: str = ""
    email: str = ""
    tax_id: str = ""


@dataclass(frozen=True)
class Invoice:
    id: str
    organization_id: str
    number: str
    period: str  # YYYY-MM
    status: InvoiceStatus
    amount_cents: int
    tax_cents: int
    tax_name: str
    currency: str
    lines: tuple[InvoiceLine, ...]
    seller: Party
    buyer: Party
    created_at: datetime
    due_date: datetime
    paid_at: datetime | None = None

    def as_of(self, now: datetime) -> Invoice:
        """A pending invoice past its due date reads as overdue (the stored status stays pending, so paying
        it later needs no second transition)."""
        if self.status == "pending" and now > self.due_date:
            return replace(self, status="overdue")
        return self


@dataclass(frozen=True)
class ReconciliationFinding:
    capture_id: str  # PayPal's transaction id: a capture, or a refund when `kind` says so
    organization_id: str | None
    amount_cents: int
    action: Literal["credited", "debited", "unknown_to_paypal", "amount_mismatch", "not_ours"]
    kind: Literal["capture", "refund"] = "capture"


@dataclass(frozen=True)
class Reconciliation:
    id: str
    day: str
    ran_at: datetime
    paypal_captures: int
    ledger_topups: int
    matched: int
    findings: tuple[ReconciliationFinding, ...] = ()
    paypal_refunds: int = 0
    ledger_refunds: int = 0


@dataclass(frozen=True)
class BillingRun:
    id: str
    until: datetime
    status: Literal["running", "completed"]
    started_at: datetime
    organizations: int = 0
    resources: int = 0
    charged_cents: int = 0
    finished_at: datetime | None = None


@dataclass(frozen=True)
class OrgUsage:
    """Usage of one resource in a period, as billed (and what is accrued but not billed yet)."""

    resource_id: str
    resource_name: str
    kind: str
    minutes: int
    cost_cents: int
    unbilled_minutes: int = 0
    unbilled_cents: int = 0
    periods: list[tuple[datetime, datetime]] = field(default_factory=list)


def floor_minute(t: datetime) -> datetime:
    return t.replace(second=0, microsecond=0)


def ceil_minute(t: datetime) -> datetime:
    floored = floor_minute(t)
    return floored if floored == t else floored + MINUTE


def rate_meter(meter: Meter, pricing: Pricing, until: datetime) -> MeterCharge | None:
    """The charge for `meter` from where it was billed to `until` (minutes started count whole).

    A deleted resource pays up to its deletion (rounded up to the minute, so at least one minute), and its
    last sub-cent remainder is rounded half up; a running one is billed up to `until` and carries the
    sub-cent remainder to the next run. None when there is nothing to bill yet.
    """
    if not meter.changes:
        return None
    start = meter.billed_until or floor_minute(meter.changes[0].at)
    end = min(ceil_minute(meter.ended_at), until) if meter.ended_at else until
    finished = meter.ended_at is not None and ceil_minute(meter.ended_at) <= until
    if end <= start and not finished:
        return None
    end = max(end, start)
    micros = meter.carry_micros
    for i, change in enumerate(meter.changes):
        seg_start = max(floor_minute(change.at), start)
        seg_end = min(floor_minute(meter.changes[i + 1].at), end) if i + 1 < len(meter.changes) else end
        if seg_end > seg_start:
            minutes = int((seg_end - seg_start) / MINUTE)
            micros += pricing.hourly_micros(change) * minutes // 60
    if finished:
        cents, carry = (micros + MICROS_PER_CENT // 2) // MICROS_PER_CENT, 0
    else:
        cents, carry = divmod(micros, MICROS_PER_CENT)
    return MeterCharge(meter, start, end, int((end - start) / MINUTE), cents, carry, finished)


def burn_micros_per_hour(meters: list[Meter], pricing: Pricing) -> int:
    """What the organization's live resources cost per hour now."""
    return sum(pricing.hourly_micros(m.changes[-1]) for m in meters if m.changes and m.ended_at is None)


def runway_hours(balance_cents: int, burn_micros_hour: int) -> float | None:
    """How many hours the balance lasts at the burn rate (None: nothing is burning)."""
    if burn_micros_hour <= 0:
        return None
    return max(0.0, balance_cents * MICROS_PER_CENT / burn_micros_hour)


def invoice_number(prefix: str, year: int, sequence: int) -> str:
    """CS-2026-000123: consecutive per year."""
    return f"{prefix}-{year}-{sequence:06d}"


@dataclass(frozen=True)
class BillingPolicy:
    """The configurable rules of money: limits, grace periods, warnings and the seller on invoices."""

    currency: str = "USD"
    topup_min_cents: int = 500
    topup_max_cents: int = 100_000
    max_balance_cents: int = 1_000_000
    grace_seconds: int = 24 * 3600
    terminate_after_seconds: int = 14 * 86400
    termination_notice_seconds: int = 3 * 86400
    warn_hours: tuple[int, ...] = (72, 24, 2)
    public_url: str = "http://127.0.0.1:8000"
    report_email: str = ""
    seller: Party = field(default_factory=lambda: Party(name="ContainerStacks"))
    tax_name: str = ""
    tax_rate_bps: int = 0
    invoice_prefix: str = "CS"
    invoice_due_days: int = 14
