"""Wire models of billing. Money goes out as strings with two decimals ("12.50", US dollars) and comes in as
a JSON number or such a string with at most two decimals; metered rates have six decimals (micro-dollars)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema

from chalicelib.api.wire import NextCursor, Out, Strict
from chalicelib.domain.billing.entities import (
    Invoice,
    LedgerEntry,
    OrgUsage,
    PaymentMethod,
    Pricing,
)
from chalicelib.domain.billing.service import TopUp, WalletView
from chalicelib.domain.shared.money import format_cents

Money = Annotated[
    str,
    Field(
        pattern=r"^-?\d+\.\d{2}$",
        examples=["12.50"],
        description="An amount in the wallet's currency (USD), as a string with exactly two decimals",
    ),
]
Rate = Annotated[
    str,
    Field(
        pattern=r"^\d+\.\d{6}$", examples=["0.012000"], description="USD with six decimals (micro-dollars)"
    ),
]
# Amounts in: "12.50" or a whole number 12 (a JSON number with cents is accepted too, but floats are not
# documented: 0.57 is 0.5700000000000001 to many clients). The patterns make the document as strict as the
# service, so a request the document allows is not refused (schemathesis checks it).
_POSITIVE = r"(0\.(0[1-9]|[1-9][0-9]?)|[1-9][0-9]{0,9}(\.[0-9]{1,2})?)"
_WHOLE = 9_999_999_999
AmountIn = Annotated[
    Decimal,
    Field(gt=0, max_digits=12, decimal_places=2),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "pattern": f"^{_POSITIVE}$", "examples": ["25.00"]},
                {"type": "integer", "minimum": 1, "maximum": _WHOLE},
            ],
            "description": "USD: a string with up to two decimals, or whole dollars (limits: see 400s)",
        }
    ),
]
SignedAmountIn = Annotated[
    Decimal,
    Field(max_digits=12, decimal_places=2),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "pattern": f"^-?{_POSITIVE}$", "examples": ["-2.50"]},
                {"type": "integer", "minimum": 1, "maximum": _WHOLE},
                {"type": "integer", "minimum": -_WHOLE, "maximum": -1},
            ],
            "description": "USD, not zero: credits positive, debits negative",
        }
    ),
]
RateIn = Annotated[
    Decimal,
    Field(ge=0, max_digits=12, decimal_places=6),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "pattern": r"^[0-9]{1,6}(\.[0-9]{1,6})?$", "examples": ["0.012"]},
                {"type": "integer", "minimum": 0, "maximum": 999_999},
            ],
            "description": "USD with up to six decimals",
        }
    ),
]
Period = Annotated[
    str, Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$", examples=["2026-11"], description="A month")
]


def rate(micros: int) -> str:
    return f"{Decimal(micros) / 1_000_000:.6f}"


def micros(value: Decimal) -> int:
    return int(value * 1_000_000)


class WalletOut(Out):
    organization_id: str
    balance: Money
    currency: str
    burn_rate_per_hour: Rate
    runway_hours: float | None = Field(
        description="How long the balance lasts at the burn rate; null: nothing runs"
    )
    status: Literal["active", "grace", "suspended"]
    suspended_at: datetime | None

    @classmethod
    def of(cls, view: WalletView) -> WalletOut:
        state = view.state
        status: Literal["active", "grace", "suspended"] = (
            "suspended" if state.suspended_at else "grace" if state.zero_since else "active"
        )
        return cls(
            organization_id=view.wallet.organization_id,
            balance=format_cents(view.wallet.balance_cents),
            currency=view.wallet.currency,
            burn_rate_per_hour=rate(view.burn_micros_per_hour),
            runway_hours=round(view.runway_hours, 2) if view.runway_hours is not None else None,
            status=status,
            suspended_at=state.suspended_at,
        )


class TransactionOut(Out):
    id: str
    type: str = Field(description="topup | usage | refund | adjustment | charge | reservation")
    amount: Money
    balance_after: Money
    currency: str
    description: str
    reference: str | None
    resource_id: str | None
    resource_name: str | None
    period_start: datetime | None
    period_end: datetime | None
    quantity_minutes: int | None
    reason: str | None
    created_by: str
    created_at: datetime

    @classmethod
    def of(cls, e: LedgerEntry) -> TransactionOut:
        return cls(
            id=e.id,
            type=e.kind,
            amount=format_cents(e.amount_cents),
            balance_after=format_cents(e.balance_after_cents),
            currency=e.currency,
            description=e.description,
            reference=e.reference,
            resource_id=e.resource_id,
            resource_name=e.resource_name,
            period_start=e.period_start,
            period_end=e.period_end,
            quantity_minutes=e.quantity_minutes,
            reason=e.reason,
            created_by=e.created_by,
            created_at=e.created_at,
        )


class TransactionListOut(Out):
    transactions: list[TransactionOut]
    next_cursor: NextCursor = None


class AddFundsIn(Strict):
    amount: AmountIn
    payment_method: Annotated[
        str,
        Field(min_length=1, max_length=64, description="'paypal' (approve at PayPal) or a saved method's id"),
    ]


class AddFundsOut(Out):
    status: Literal["pending", "completed"]
    transaction_id: str | None = Field(description="The PayPal capture id once captured")
    new_balance: Money
    order_id: str | None = None
    approval_url: str | None = Field(default=None, description="Open to approve the payment (pending only)")

    @classmethod
    def of(cls, t: TopUp) -> AddFundsOut:
        return cls(
            status="completed" if t.status == "completed" else "pending",
            transaction_id=t.transaction_id,
            new_balance=format_cents(t.new_balance_cents),
            order_id=t.order_id,
            approval_url=t.approval_url,
        )


class PaymentMethodIn(Strict):
    setup_token: Annotated[
        str,
        Field(
            pattern=r"^[A-Za-z0-9_-]{1,64}$",
            description="A PayPal vault setup token the payer approved (400 naming it if PayPal refuses it)",
        ),
    ]


class MethodSetupOut(Out):
    setup_token: str
    approval_url: str = Field(description="Where the payer approves saving their PayPal account")


class PaymentMethodOut(Out):
    id: str
    provider: str
    label: str
    created_at: datetime

    @classmethod
    def of(cls, m: PaymentMethod) -> PaymentMethodOut:
        return cls(id=m.id, provider=m.provider, label=m.label, created_at=m.created_at)


class PaymentMethodListOut(Out):
    payment_methods: list[PaymentMethodOut]


class PlanOut(Out):
    id: str
    name: str
    cpu_per_vcpu_hour: Rate
    memory_per_gib_hour: Rate
    storage_per_gib_month: Rate


class PlansOut(Out):
    currency: str
    plans: list[PlanOut]

    @classmethod
    def of(cls, p: Pricing) -> PlansOut:
        plan = PlanOut(
            id="containers",
            name="Containers, pay as you go (per minute)",
            cpu_per_vcpu_hour=rate(p.cpu_hour_micros),
            memory_per_gib_hour=rate(p.memory_gib_hour_micros),
            storage_per_gib_month=rate(p.storage_gib_month_micros),
        )
        return cls(currency=p.currency, plans=[plan])


class UsageQuery(Strict):
    period: Period | None = None


class ResourceUsageOut(Out):
    resource_id: str
    name: str
    kind: str
    minutes: int
    cost: Money
    unbilled_minutes: int = Field(description="Used since the last billing run, charged by the next")
    unbilled_cost: Money


class UsageOut(Out):
    period: str
    resources: list[ResourceUsageOut]
    total: Money
    unbilled_total: Money

    @classmethod
    def of(cls, period: str, usage: list[OrgUsage]) -> UsageOut:
        return cls(
            period=period,
            resources=[
                ResourceUsageOut(
                    resource_id=u.resource_id,
                    name=u.resource_name,
                    kind=u.kind,
                    minutes=u.minutes,
                    cost=format_cents(u.cost_cents),
                    unbilled_minutes=u.unbilled_minutes,
                    unbilled_cost=format_cents(u.unbilled_cents),
                )
                for u in usage
            ],
            total=format_cents(sum(u.cost_cents for u in usage)),
            unbilled_total=format_cents(sum(u.unbilled_cents for u in usage)),
        )


class InvoiceLineOut(Out):
    description: str
    quantity: str
    amount: Money
    resource_id: str | None


class PartyOut(Out):
    name: str
    address: str
    email: str
    tax_id: str


class InvoiceOut(Out):
    id: str
    invoice_number: str = Field(examples=["CS-2026-000123"], description="Consecutive per year")
    period: str
    status: Literal["pending", "paid", "overdue", "cancelled"]
    amount: Money
    tax: Money
    tax_name: str
    currency: str
    line_items: list[InvoiceLineOut]
    seller: PartyOut
    buyer: PartyOut
    created_at: datetime
    due_date: datetime
    paid_at: datetime | None

    @classmethod
    def of(cls, i: Invoice) -> InvoiceOut:
        return cls(
            id=i.id,
            invoice_number=i.number,
            period=i.period,
            status=i.status,
            amount=format_cents(i.amount_cents),
            tax=format_cents(i.tax_cents),
            tax_name=i.tax_name,
            currency=i.currency,
            line_items=[
                InvoiceLineOut(
                    description=line.description,
                    quantity=line.quantity,
                    amount=format_cents(line.amount_cents),
                    resource_id=line.resource_id,
                )
                for line in i.lines
            ],
            seller=PartyOut(**i.seller.__dict__),
            buyer=PartyOut(**i.buyer.__dict__),
            created_at=i.created_at,
            due_date=i.due_date,
            paid_at=i.paid_at,
        )


class InvoiceListOut(Out):
    invoices: list[InvoiceOut]
    next_cursor: NextCursor = None


class PayPalEventIn(BaseModel):
    """A PayPal webhook event (Webhooks v1 event object); checked with PayPal's verify-webhook-signature
    using the PAYPAL-TRANSMISSION-* and PAYPAL-AUTH-ALGO / PAYPAL-CERT-URL headers (400 naming
    paypal-transmission-sig when it does not verify). Other fields of the event are passed through."""

    model_config = ConfigDict(extra="allow", defer_build=True)
    id: Annotated[str, Field(min_length=1, max_length=128)]
    event_type: Annotated[str, Field(min_length=1, max_length=128, examples=["PAYMENT.CAPTURE.COMPLETED"])]
    resource: dict[str, Any]


class WebhookOut(Out):
    status: Literal["processed", "duplicate", "ignored"]
