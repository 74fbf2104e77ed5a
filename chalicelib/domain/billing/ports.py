"""What billing needs: its stores, the payment gateway (PayPal), the workloads it suspends, mail, PDFs."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from chalicelib.domain.billing.entities import (
    BillingRun,
    BillingState,
    Invoice,
    LedgerEntry,
    Meter,
    MeterCharge,
    Party,
    Payment,
    PaymentMethod,
    Posting,
    Pricing,
    Reconciliation,
    Wallet,
)
from chalicelib.domain.shared.paging import Page


class AlreadyPosted(Exception):
    """A posting's idempotency key was applied before: nothing was changed."""

    def __init__(self, keys: Sequence[str]) -> None:
        super().__init__(f"already posted: {list(keys)}")
        self.keys = list(keys)


class WalletChanged(Exception):
    """The wallet moved (or a concurrent transaction touched it) since it was read: read again, retry.

    `ambiguous`: the write may have been applied (no answer, or an error that names no condition), so the
    retry first looks for its idempotency keys."""

    def __init__(self, *, ambiguous: bool = False) -> None:
        super().__init__("the wallet changed" + (" (outcome unknown)" if ambiguous else ""))
        self.ambiguous = ambiguous


class CounterMoved(Exception):
    """Another invoice took the number first: take the next one."""


class MeterChanged(Exception):
    """A meter was billed or changed since it was read: read the organization's meters again."""


@dataclass(frozen=True)
class Extras:
    """What moves in the same transaction as the postings."""

    captured_order: tuple[str, str] | None = None  # (order id, capture id): the payment record is captured
    charges: tuple[MeterCharge, ...] = ()  # meters advance to their charge's end (or go when finished)
    invoice_period: str | None = None  # YYYY-MM: the organization has charges to invoice that month


class Ledger(Protocol):
    """The wallet and its append-only ledger. Each `post` is one transaction."""

    def wallet(self, org_id: str) -> Wallet:
        """Consistent read. Raises NotFound when the organization has no wallet."""
        ...

    def post(
        self, wallet: Wallet, postings: Sequence[Posting], now: datetime, extras: Extras
    ) -> list[LedgerEntry]:
        """Append the postings, each once (its key must be new), and move the balance by their sum, only
        if the wallet is still at `wallet.version`. Raises AlreadyPosted, WalletChanged or MeterChanged."""
        ...

    def entries_for_keys(self, org_id: str, keys: Sequence[str]) -> list[LedgerEntry]:
        """The entries applied under these idempotency keys (missing ones are left out)."""
        ...

    def page(self, org_id: str, limit: int, cursor: str | None) -> Page[LedgerEntry]:
        """Newest first. Raises ValidationFailed (field `cursor`) for a cursor not made here."""
        ...

    def between(self, org_id: str, start: datetime, end: datetime) -> list[LedgerEntry]:
        """Entries created in [start, end), oldest first."""
        ...

    def topups_on(self, day: str) -> list[LedgerEntry]:
        """Every organization's PayPal top-ups captured on `day` (YYYY-MM-DD) (index query)."""
        ...


class Payments(Protocol):
    """PayPal orders started by add-funds, and saved payment methods."""

    def add(self, payment: Payment) -> None: ...

    def get(self, org_id: str, order_id: str) -> Payment:
        """Raises NotFound (also for another organization's order)."""
        ...

    def set_status(self, org_id: str, order_id: str, status: str, now: datetime) -> None:
        """Marks an order approved, failed or cancelled (never un-captures one)."""
        ...

    def add_method(self, method: PaymentMethod) -> None: ...

    def methods(self, org_id: str) -> list[PaymentMethod]: ...

    def get_method(self, org_id: str, method_id: str) -> PaymentMethod:
        """Raises NotFound."""
        ...

    def remove_method(self, org_id: str, method_id: str) -> None:
        """Raises NotFound."""
        ...

    def seen_event(self, event_id: str) -> bool:
        """True when this webhook event was processed before."""
        ...

    def remember_event(self, event_id: str, expires: datetime) -> None: ...


class Meters(Protocol):
    """Metered resources and where each was billed to."""

    def of_org(self, org_id: str) -> list[Meter]:
        """The organization's meters (consistent)."""
        ...

    def billable(
        self, shard: int, after_org: str | None, max_orgs: int
    ) -> tuple[dict[str, list[Meter]], str | None]:
        """Up to `max_orgs` organizations with meters in `shard`, after `after_org`, and the org to continue
        after (None when the shard is done)."""
        ...


class PriceOverrides(Protocol):
    """The container prices an organization pays when they are not the platform's (its package's)."""

    def pricing_for(self, org_id: str, base: Pricing) -> Pricing:
        """`base` (the platform's price list) or the organization's own prices."""
        ...


class StateStore(Protocol):
    """Per-organization billing state (what suspension needs)."""

    def get(self, org_id: str) -> BillingState: ...

    def put(self, state: BillingState, now: datetime) -> None: ...


class BillingStates(StateStore, Protocol):
    """Per-organization billing state, the price list, billing runs and reconciliation reports."""

    def pricing(self) -> Pricing: ...

    def set_pricing(self, pricing: Pricing, now: datetime) -> None: ...

    def start_run(self, run: BillingRun) -> None:
        """Records a run (no-op when a run with this id exists)."""
        ...

    def add_to_run(self, run_id: str, organizations: int, resources: int, cents: int) -> None: ...

    def finish_run(self, run_id: str, now: datetime) -> BillingRun: ...

    def get_run(self, run_id: str) -> BillingRun:
        """Raises NotFound."""
        ...

    def runs(self, limit: int) -> list[BillingRun]:
        """Newest first."""
        ...

    def add_reconciliation(self, report: Reconciliation) -> None: ...

    def reconciliations(self, limit: int, cursor: str | None) -> Page[Reconciliation]:
        """Newest first."""
        ...


class Invoices(Protocol):
    """Invoices, their consecutive numbers per year, and the organizations due one for a month."""

    def issue(self, invoice: Invoice, year: int, sequence: int) -> None:
        """Write the invoice numbered `sequence` of `year`, claim the number (the year's counter must be at
        `sequence - 1`) and close the organization's month: one transaction. Raises CounterMoved when the
        counter moved (retry with the next number) and AlreadyPosted when the month is already invoiced."""
        ...

    def last_number(self, year: int) -> int:
        """The year's counter (0 before the first invoice)."""
        ...

    def due(self, period: str, after_org: str | None, limit: int) -> tuple[list[str], str | None]:
        """Organizations with charges in `period` and no invoice yet (index query)."""
        ...

    def page(self, org_id: str, limit: int, cursor: str | None) -> Page[Invoice]: ...

    def unpaid(self, org_id: str) -> list[Invoice]:
        """The organization's pending invoices (a query of its partition)."""
        ...

    def mark_paid(self, invoice: Invoice, paid_at: datetime) -> bool:
        """Pending → paid; False when it was not pending any more (paid or cancelled meanwhile)."""
        ...

    def get(self, org_id: str, invoice_id: str) -> Invoice:
        """Raises NotFound (also for another organization's invoice)."""
        ...


@dataclass(frozen=True)
class GatewayOrder:
    id: str
    status: str
    approval_url: str | None


@dataclass(frozen=True)
class GatewayCapture:
    capture_id: str
    order_id: str
    status: str  # COMPLETED, PENDING, DECLINED
    amount_cents: int
    currency: str
    custom_id: str | None
    captured_at: datetime | None = None


@dataclass(frozen=True)
class GatewayRefund:
    """A refund PayPal made of one of our captures (webhook or transaction search)."""

    refund_id: str
    capture_id: str | None
    amount_cents: int  # positive: how much went back to the payer
    refunded_at: datetime | None = None


@dataclass(frozen=True)
class GatewayTransaction:
    """One line of PayPal's transaction search: a capture (T0006...) or a refund (T1107)."""

    transaction_id: str
    event_code: str
    amount_cents: int
    currency: str
    custom_id: str | None
    status: str
    initiated_at: datetime | None
    reference_id: str | None = None  # a refund's capture (paypal_reference_id)


class PaymentGateway(Protocol):
    """PayPal (Orders v2, Payments v2, Vault v3, Webhooks v1, Transaction Search v1).

    Raises ServiceUnavailable when PayPal does not answer or fails (retry is safe: every POST carries a
    PayPal-Request-Id), PaymentDeclined when a capture is declined, Conflict when the order is not approved.
    """

    def create_order(
        self,
        amount_cents: int,
        currency: str,
        custom_id: str,
        request_id: str,
        return_url: str,
        cancel_url: str,
    ) -> GatewayOrder: ...

    def capture_order(self, order_id: str, request_id: str) -> GatewayCapture: ...

    def charge_vaulted(
        self, vault_token_id: str, amount_cents: int, currency: str, custom_id: str, request_id: str
    ) -> GatewayCapture: ...

    def create_setup_token(self, request_id: str, return_url: str, cancel_url: str) -> GatewayOrder:
        """Start saving a PayPal account (Vault v3 setup token): its id and the URL the payer approves at."""
        ...

    def vault_setup_token(self, setup_token_id: str, request_id: str) -> tuple[str, str]:
        """Exchange an approved setup token for a payment token: (payment token id, payer label)."""
        ...

    def delete_vault_token(self, vault_token_id: str) -> None: ...

    def verify_webhook(self, headers: Mapping[str, str], event: Mapping[str, object]) -> bool:
        """PayPal's verify-webhook-signature for this deployment's webhook id."""
        ...

    def search_transactions(self, start: datetime, end: datetime) -> Iterator[GatewayTransaction]: ...


class Workloads(Protocol):
    """The organization's running resources, as suspension sees them (containers and VPS, their ids told
    apart by CompositeWorkloads)."""

    def running(self, org_id: str) -> list[str]: ...

    def stop(self, org_id: str, resource_id: str) -> None:
        """Stops the resource on its engine, keeping its data. Missing resources are ignored."""
        ...

    def start(self, org_id: str, resource_id: str) -> None: ...

    def terminate(self, org_id: str, resource_id: str) -> None: ...


class Directory(Protocol):
    """Who to bill and write to: an organization's name and its owner's email."""

    def organization(self, org_id: str) -> Party: ...


class InvoiceRenderer(Protocol):
    """Renders an invoice as a PDF document."""

    def render(self, invoice: Invoice) -> bytes: ...
