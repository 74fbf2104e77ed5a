"""The billing run: charge every organization's metered usage since its last run, a batch of organizations
at a time (the state machine maps over the shards; each batch is one Lambda task)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime

from chalicelib.domain.billing.entities import (
    BillingRun,
    Meter,
    MeterCharge,
    OrgUsage,
    Posting,
    Pricing,
    burn_micros_per_hour,
    floor_minute,
    rate_meter,
)
from chalicelib.domain.billing.ports import (
    AlreadyPosted,
    BillingStates,
    Extras,
    Ledger,
    MeterChanged,
    Meters,
    PriceOverrides,
)
from chalicelib.domain.billing.service import SYSTEM, WalletService
from chalicelib.domain.billing.suspension import Suspension
from chalicelib.domain.shared.clock import Clock, utcnow
from chalicelib.domain.shared.errors import ServiceUnavailable, ValidationFailed
from chalicelib.domain.shared.principal import Principal
from chalicelib.domain.shared.workflows import Workflows

log = logging.getLogger(__name__)
CHUNK = 30  # meters per transaction: entry + guard + meter each, plus wallet and month (<= 100 items)
RETRIES = 5
BILLING_RUN = "billing-run"  # functions/registry.py STATE_MACHINES
SHARDS = 16
KIND_LABELS = {
    "vps": "VPS",
    "container": "Container",
    "backup_storage": "Backup storage",
}  # usage lines name it


def kind_label(kind: str) -> str:
    """How usage lines and invoices name a kind of resource ("vps" -> "VPS")."""
    return KIND_LABELS.get(kind, kind.capitalize())


@dataclass(frozen=True)
class BatchResult:
    next_org: str | None
    organizations: int
    resources: int
    charged_cents: int


def month_bounds(period: str) -> tuple[datetime, datetime]:
    try:
        start = datetime.strptime(period, "%Y-%m").replace(tzinfo=UTC)
    except ValueError as exc:
        raise ValidationFailed(
            "period must be a month such as 2026-11.", details={"field": "period"}
        ) from exc
    end = (
        start.replace(year=start.year + 1, month=1)
        if start.month == 12
        else start.replace(month=start.month + 1)
    )
    return start, end


class BillingRunner:
    """Charges usage: `bill_batch` for the run, `bill_org` for one organization (idempotent per meter)."""

    def __init__(
        self,
        wallet: WalletService,
        ledger: Ledger,
        meters: Meters,
        states: BillingStates,
        suspension: Suspension,
        workflows: Workflows,
        *,
        prices: PriceOverrides | None = None,
        clock: Clock = utcnow,
    ) -> None:
        self._prices = prices
        self._workflows = workflows
        self._wallet = wallet
        self._ledger = ledger
        self._meters = meters
        self._states = states
        self._suspension = suspension
        self._clock = clock

    def start(self, until: datetime | None = None) -> BillingRun:
        """Record a run charging up to `until` (default: now, to the minute; later than now is taken as now,
        since only what was used can be charged; a time without an offset is UTC); its id names the
        execution."""
        now = self._clock()
        if until is not None and until.tzinfo is None:
            until = until.replace(tzinfo=UTC)
        end = floor_minute(min(until, now) if until is not None else now)
        run = BillingRun(
            id=f"billing-{end:%Y%m%dT%H%M}", until=end, status="running", started_at=self._clock()
        )
        self._states.start_run(run)
        return self._states.get_run(run.id)

    def launch(self, until: datetime | None = None) -> BillingRun:
        """Start the billing-run state machine; its execution is named after the run (twice is once)."""
        run = self.start(until)
        self._workflows.start(BILLING_RUN, run.id, {"run_id": run.id, "until": run.until.isoformat()})
        return run

    def run(self, run_id: str) -> BillingRun:
        return self._states.get_run(run_id)

    def pricing(self) -> Pricing:
        return self._states.pricing()

    def pricing_for(self, org_id: str, base: Pricing | None = None) -> Pricing:
        """The container prices `org_id` pays: its package's, else the platform's price list."""
        base = base or self._states.pricing()
        return self._prices.pricing_for(org_id, base) if self._prices else base

    def set_pricing(self, pricing: Pricing) -> Pricing:
        self._states.set_pricing(pricing, self._clock())
        return pricing

    def bill_batch(
        self, run_id: str, until: datetime, shard: int, after_org: str | None, max_orgs: int
    ) -> BatchResult:
        found, next_org = self._meters.billable(shard, after_org, max_orgs)
        pricing = self._states.pricing()
        resources = cents = 0
        for org_id, meters in found.items():
            try:
                billed, charged = self.bill_org(org_id, meters, until, self.pricing_for(org_id, pricing))
            except ServiceUnavailable:
                log.exception("billing %s failed; the next run charges it", org_id)
                continue
            resources += billed
            cents += charged
        self._states.add_to_run(run_id, len(found), resources, cents)
        return BatchResult(next_org, len(found), resources, cents)

    def bill_org(
        self, org_id: str, meters: list[Meter], until: datetime, pricing: Pricing
    ) -> tuple[int, int]:
        """Charge the organization's meters up to `until`, then review its runway. (resources, cents)."""
        charged = billed = 0
        balance: int | None = None
        for _ in range(RETRIES):
            charges = [c for m in meters if (c := rate_meter(m, pricing, until)) is not None]
            try:
                for start in range(0, len(charges), CHUNK):
                    chunk = charges[start : start + CHUNK]
                    cents, after = self._charge(org_id, chunk)
                    charged, billed = charged + cents, billed + len(chunk)
                    balance = after if after is not None else balance
                break
            except (MeterChanged, AlreadyPosted):  # another run (or a stale index read) got there first
                meters = self._meters.of_org(org_id)
        else:
            raise ServiceUnavailable(f"The meters of {org_id} kept changing; the next run charges them.")
        live = [m for m in meters if m.ended_at is None]
        if balance is None:  # nothing was posted: the wallet is as it was
            balance = self._ledger.wallet(org_id).balance_cents
        self._suspension.review(org_id, balance, burn_micros_per_hour(live, pricing))
        return billed, charged

    def _charge(self, org_id: str, chunk: list[MeterCharge]) -> tuple[int, int | None]:
        """Post the chunk's charges and move its meters: (cents charged, the balance after, if posted)."""
        postings = [
            Posting(
                key=f"usage:{c.meter.resource_id}:{c.end:%Y%m%dT%H%M}",
                kind="usage",
                amount_cents=-c.cents,
                description=f"{kind_label(c.meter.kind)} {c.meter.name}: {c.minutes} min",
                created_by=SYSTEM,
                reference=f"{c.start:%Y-%m-%dT%H:%MZ}/{c.end:%Y-%m-%dT%H:%MZ}",
                resource_id=c.meter.resource_id,
                resource_name=c.meter.name,
                resource_kind=c.meter.kind,
                period_start=c.start,
                period_end=c.end,
                quantity_minutes=c.minutes,
            )
            for c in chunk
            if c.cents > 0
        ]
        period = self._clock().strftime("%Y-%m") if postings else None
        entries = self._wallet.post(
            org_id, postings, extras=Extras(charges=tuple(chunk), invoice_period=period), replay=False
        )
        return sum(c.cents for c in chunk), entries[-1].balance_after_cents if entries else None

    def finish(self, run_id: str) -> BillingRun:
        return self._states.finish_run(run_id, self._clock())

    # ------------------------------------------------------------ what the organization sees
    def usage(self, p: Principal, period: str | None) -> tuple[str, list[OrgUsage]]:
        """Billed usage per resource in the month (default: this one), plus what is accrued but not billed."""
        now = self._clock()
        month = period or now.strftime("%Y-%m")
        start, end = month_bounds(month)
        found: dict[str, OrgUsage] = {}
        for entry in self._ledger.between(p.organization_id, start, end):
            if entry.kind != "usage" or not entry.resource_id:
                continue
            usage = found.setdefault(
                entry.resource_id,
                OrgUsage(
                    entry.resource_id, entry.resource_name or "", entry.resource_kind or "container", 0, 0
                ),
            )
            found[entry.resource_id] = OrgUsage(
                usage.resource_id,
                usage.resource_name,
                usage.kind,
                usage.minutes + (entry.quantity_minutes or 0),
                usage.cost_cents - entry.amount_cents,
                periods=[
                    *usage.periods,
                    *(
                        [(entry.period_start, entry.period_end)]
                        if entry.period_start and entry.period_end
                        else []
                    ),
                ],
            )
        if start <= now < end:
            pricing = self.pricing_for(p.organization_id)
            for meter in self._meters.of_org(p.organization_id):
                charge = rate_meter(meter, pricing, floor_minute(now))
                if charge is None:
                    continue
                usage = found.get(meter.resource_id) or OrgUsage(
                    meter.resource_id, meter.name, meter.kind, 0, 0
                )
                found[meter.resource_id] = OrgUsage(
                    usage.resource_id,
                    usage.resource_name,
                    meter.kind,
                    usage.minutes,
                    usage.cost_cents,
                    unbilled_minutes=charge.minutes,
                    unbilled_cents=charge.cents,
                    periods=usage.periods,
                )
        return month, sorted(found.values(), key=lambda u: u.resource_id)
