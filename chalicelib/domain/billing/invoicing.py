"""Monthly invoices from the ledger, numbered consecutively per year (CS-2026-000123), as PDF on request."""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from datetime import timedelta

from chalicelib.domain.billing.entities import (
    BillingPolicy,
    Invoice,
    InvoiceLine,
    LedgerEntry,
    invoice_number,
)
from chalicelib.domain.billing.metering import kind_label, month_bounds
from chalicelib.domain.billing.ports import (
    AlreadyPosted,
    CounterMoved,
    Directory,
    InvoiceRenderer,
    Invoices,
    Ledger,
)
from chalicelib.domain.shared.clock import Clock, utcnow
from chalicelib.domain.shared.errors import ServiceUnavailable
from chalicelib.domain.shared.ids import new_ulid
from chalicelib.domain.shared.money import format_cents
from chalicelib.domain.shared.notices import NoNotifier, Notice, Notifier
from chalicelib.domain.shared.paging import Page
from chalicelib.domain.shared.principal import Principal

log = logging.getLogger(__name__)
ATTEMPTS = 200
INVOICED_KINDS = ("usage", "charge", "adjustment")


def invoice_lines(entries: list[LedgerEntry]) -> list[InvoiceLine]:
    """One line per resource (its usage in the month summed) and one per other charge (a manual debit);
    credits (top-ups, refunds, manual credits) are payments, not invoice lines."""
    per_resource: dict[str, tuple[str, str, int, int]] = {}
    others: list[InvoiceLine] = []
    for e in entries:
        if e.kind not in INVOICED_KINDS or e.amount_cents >= 0:
            continue
        if e.kind == "usage" and e.resource_id:
            # Entries written before usage carried its resource's kind were all containers.
            kind, name, minutes, cents = per_resource.get(
                e.resource_id, (e.resource_kind or "container", e.resource_name or e.resource_id, 0, 0)
            )
            per_resource[e.resource_id] = (
                kind,
                name,
                minutes + (e.quantity_minutes or 0),
                cents - e.amount_cents,
            )
        else:
            others.append(InvoiceLine(e.description, "1", -e.amount_cents))
    lines = [
        InvoiceLine(f"{kind_label(kind)} {name} ({rid})", f"{minutes / 60:.2f} h", cents, rid)
        for rid, (kind, name, minutes, cents) in sorted(per_resource.items())
    ]
    return lines + others


class Invoicing:
    """Issues, lists and renders invoices. Raises NotFound and ServiceUnavailable."""

    def __init__(
        self,
        ledger: Ledger,
        invoices: Invoices,
        directory: Directory,
        renderer: Callable[[], InvoiceRenderer],
        policy: BillingPolicy,
        *,
        clock: Clock = utcnow,
        sleep: Callable[[float], None] = time.sleep,
        notifier: Notifier = NoNotifier(),
    ) -> None:
        self._ledger = ledger
        self._notifier = notifier
        self._invoices = invoices
        self._directory = directory
        self._renderer = renderer
        self._policy = policy
        self._clock = clock
        self._sleep = sleep

    def issue(self, org_id: str, period: str) -> Invoice | None:
        """The organization's invoice for `period` (YYYY-MM), numbered next in the year; None when the
        month has nothing to invoice or was invoiced already."""
        start, end = month_bounds(period)
        entries = self._ledger.between(org_id, start, end)
        lines = invoice_lines(entries)
        if not lines:
            return None
        amount = sum(line.amount_cents for line in lines)
        bps = self._policy.tax_rate_bps
        tax = (amount * bps + (10_000 + bps) // 2) // (10_000 + bps) if bps else 0  # prices include tax
        balance = self._ledger.wallet(org_id).balance_cents
        buyer = self._directory.organization(org_id)
        for attempt in range(ATTEMPTS):
            now = self._clock()
            sequence = self._invoices.last_number(now.year) + 1
            invoice = Invoice(
                id=new_ulid(),
                organization_id=org_id,
                number=invoice_number(self._policy.invoice_prefix, now.year, sequence),
                period=period,
                status="paid" if balance >= 0 else "pending",  # prepaid usage is paid when charged
                amount_cents=amount,
                tax_cents=tax,
                tax_name=self._policy.tax_name,
                currency=self._policy.currency,
                lines=tuple(lines),
                seller=self._policy.seller,
                buyer=buyer,
                created_at=now,
                due_date=now + timedelta(days=self._policy.invoice_due_days),
                paid_at=now if balance >= 0 else None,
            )
            try:
                self._invoices.issue(invoice, now.year, sequence)
            except CounterMoved:
                self._sleep(random.uniform(0, min(0.002 * (attempt + 1), 0.05)))
                continue
            except AlreadyPosted:
                return None
            self._announce(invoice)
            return invoice
        raise ServiceUnavailable("Invoice numbers are busy; retry.")

    def _announce(self, invoice: Invoice) -> None:
        amount = format_cents(invoice.amount_cents)
        self._notifier.notify(
            Notice(
                organization_id=invoice.organization_id,
                kind="invoice.issued",
                title=f"Invoice {invoice.number} for {invoice.period} was issued",
                body=f"{amount} {invoice.currency}, {invoice.status}.",
                resource_type="invoice",
                resource_id=invoice.id,
                data={
                    "number": invoice.number,
                    "period": invoice.period,
                    "amount": amount,
                    "currency": invoice.currency,
                    "status": invoice.status,
                },
            )
        )

    def issue_due(self, period: str) -> int:
        """Issue every invoice due for `period` (organizations with charges that month); the count issued."""
        issued, after = 0, None
        while True:
            orgs, after = self._invoices.due(period, after, 100)
            for org_id in orgs:
                if self.issue(org_id, period) is not None:
                    issued += 1
            if after is None:
                return issued

    def funded(self, org_id: str, balance_cents: int) -> None:
        """After a credit: once the balance is back at zero or above, the usage the pending invoices bill
        has been paid from the wallet, so they are marked paid (a FundsListener)."""
        if balance_cents < 0:
            return
        now = self._clock()
        for invoice in self._invoices.unpaid(org_id):
            self._invoices.mark_paid(invoice, now)

    def page(self, p: Principal, limit: int, cursor: str | None) -> Page[Invoice]:
        page = self._invoices.page(p.organization_id, limit, cursor)
        now = self._clock()
        return Page(items=[i.as_of(now) for i in page.items], next_cursor=page.next_cursor)

    def get(self, p: Principal, invoice_id: str) -> Invoice:
        return self._invoices.get(p.organization_id, invoice_id).as_of(self._clock())

    def pdf(self, p: Principal, invoice_id: str) -> tuple[Invoice, bytes]:
        invoice = self.get(p, invoice_id)
        return invoice, self._renderer().render(invoice)

    def previous_period(self) -> str:
        first = self._clock().replace(day=1)
        return (first - timedelta(days=1)).strftime("%Y-%m")
