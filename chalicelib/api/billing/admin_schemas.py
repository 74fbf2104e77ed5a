"""Wire models of the operators' billing routes (see schemas.py for the money format)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import Field

from chalicelib.api.billing.schemas import Money, Period, RateIn, SignedAmountIn, micros
from chalicelib.api.wire import NextCursor, Out, Strict
from chalicelib.domain.billing.entities import BillingRun, Pricing, Reconciliation
from chalicelib.domain.shared.money import format_cents


class PricingIn(Strict):
    cpu_per_vcpu_hour: RateIn
    memory_per_gib_hour: RateIn
    storage_per_gib_month: RateIn

    def to_domain(self, currency: str) -> Pricing:
        return Pricing(
            micros(self.cpu_per_vcpu_hour),
            micros(self.memory_per_gib_hour),
            micros(self.storage_per_gib_month),
            currency,
        )


class AdjustmentIn(Strict):
    organization_id: Annotated[str, Field(min_length=1, max_length=64)]
    amount: SignedAmountIn
    reason: Annotated[str, Field(min_length=3, max_length=500)]


class RunIn(Strict):
    until: datetime | None = Field(
        default=None, description="Charge usage up to here (default and latest: now; no offset means UTC)"
    )


class RunOut(Out):
    id: str
    until: datetime
    status: Literal["running", "completed"]
    organizations: int
    resources: int
    charged: Money
    started_at: datetime
    finished_at: datetime | None

    @classmethod
    def of(cls, r: BillingRun) -> RunOut:
        return cls(
            id=r.id,
            until=r.until,
            status=r.status,
            organizations=r.organizations,
            resources=r.resources,
            charged=format_cents(r.charged_cents),
            started_at=r.started_at,
            finished_at=r.finished_at,
        )


class ReconcileIn(Strict):
    day: date | None = Field(default=None, description="The UTC day to reconcile (default: yesterday)")


class FindingOut(Out):
    capture_id: str = Field(description="PayPal's transaction id: the capture, or the refund (see kind)")
    kind: Literal["capture", "refund"]
    organization_id: str | None
    amount: Money
    action: Literal["credited", "debited", "unknown_to_paypal", "amount_mismatch", "not_ours"]


class ReconciliationOut(Out):
    id: str
    day: str
    ran_at: datetime
    paypal_captures: int
    ledger_topups: int
    paypal_refunds: int
    ledger_refunds: int
    matched: int
    findings: list[FindingOut]

    @classmethod
    def of(cls, r: Reconciliation) -> ReconciliationOut:
        return cls(
            id=r.id,
            day=r.day,
            ran_at=r.ran_at,
            paypal_captures=r.paypal_captures,
            ledger_topups=r.ledger_topups,
            paypal_refunds=r.paypal_refunds,
            ledger_refunds=r.ledger_refunds,
            matched=r.matched,
            findings=[
                FindingOut(
                    capture_id=f.capture_id,
                    kind=f.kind,
                    organization_id=f.organization_id,
                    amount=format_cents(f.amount_cents),
                    action=f.action,
                )
                for f in r.findings
            ],
        )


class ReconciliationListOut(Out):
    reconciliations: list[ReconciliationOut]
    next_cursor: NextCursor = None


class InvoiceRunIn(Strict):
    period: Period


class InvoiceRunOut(Out):
    period: str
    issued: int
