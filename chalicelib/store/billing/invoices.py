"""InvoiceRepository: invoices (ORG#o / INVOICE#<ulid>), their numbers (consecutive per year, guarded) and
the months due an invoice (gsi1 INVOICEDUE#<YYYY-MM>, sparse)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Any, cast

from pynamodb.exceptions import DoesNotExist, TransactWriteError, UpdateError
from pynamodb.expressions.operand import Path

from chalicelib.domain.billing.entities import Invoice, InvoiceLine, InvoiceStatus, Party
from chalicelib.domain.billing.ports import AlreadyPosted, CounterMoved
from chalicelib.domain.shared.errors import NotFound
from chalicelib.domain.shared.paging import Page
from chalicelib.store import keys
from chalicelib.store.billing import keys as bkeys
from chalicelib.store.billing.models import (
    InvoiceCounterItem,
    InvoiceItem,
    InvoiceNumberItem,
    InvoicePeriodItem,
)
from chalicelib.store.cursor import decode_cursor, encode_cursor
from chalicelib.store.table import Item, TransactionCancelled, transaction


def _invoice(item: InvoiceItem) -> Invoice:
    return Invoice(
        id=item.id,
        organization_id=item.organization_id,
        number=item.number,
        period=item.period,
        status=cast(InvoiceStatus, item.status),
        amount_cents=int(item.amount_cents),
        tax_cents=int(item.tax_cents),
        tax_name=item.tax_name or "",
        currency=item.currency,
        lines=tuple(InvoiceLine(**line) for line in item.lines or []),
        seller=Party(**item.seller),
        buyer=Party(**item.buyer),
        created_at=item.created_at,
        due_date=item.due_date,
        paid_at=item.paid_at,
    )


class InvoiceRepository:
    def issue(self, invoice: Invoice, year: int, sequence: int) -> None:
        now = invoice.created_at
        pk = keys.org_pk(invoice.organization_id)
        counter = InvoiceCounterItem(bkeys.invoice_counter_pk(year), bkeys.COUNTER_SK)
        claimed: Any = (
            InvoiceCounterItem.last == sequence - 1
            if sequence > 1
            else InvoiceCounterItem.pk.does_not_exist()
        )
        try:
            with transaction() as tx:
                tx.update(
                    "counter",
                    counter,
                    actions=[
                        Path("type").set("invoice_counter"),
                        InvoiceCounterItem.last.set(sequence),
                        InvoiceCounterItem.created_at.set(InvoiceCounterItem.created_at | now),
                        InvoiceCounterItem.updated_at.set(now),
                    ],
                    condition=claimed,
                )
                tx.save(
                    "invoice",
                    InvoiceItem(
                        pk,
                        bkeys.invoice_sk(invoice.id),
                        id=invoice.id,
                        organization_id=invoice.organization_id,
                        number=invoice.number,
                        period=invoice.period,
                        status=invoice.status,
                        amount_cents=invoice.amount_cents,
                        tax_cents=invoice.tax_cents,
                        tax_name=invoice.tax_name or None,
                        currency=invoice.currency,
                        lines=[asdict(line) for line in invoice.lines],
                        seller=asdict(invoice.seller),
                        buyer=asdict(invoice.buyer),
                        due_date=invoice.due_date,
                        paid_at=invoice.paid_at,
                        created_at=now,
                        updated_at=now,
                    ),
                    condition=Item.pk.does_not_exist(),
                )
                tx.save(
                    "number",
                    InvoiceNumberItem(
                        bkeys.invoice_number_pk(invoice.number),
                        bkeys.INVOICE_NUMBER_SK,
                        organization_id=invoice.organization_id,
                        invoice_id=invoice.id,
                        created_at=now,
                        updated_at=now,
                    ),
                    condition=Item.pk.does_not_exist(),
                )
                tx.update(
                    "period",
                    InvoicePeriodItem(pk, bkeys.invoice_period_sk(invoice.period)),
                    actions=[
                        Path("type").set("invoice_period"),
                        InvoicePeriodItem.organization_id.set(invoice.organization_id),
                        InvoicePeriodItem.period.set(invoice.period),
                        InvoicePeriodItem.invoice_id.set(invoice.id),
                        InvoicePeriodItem.gsi1pk.remove(),
                        InvoicePeriodItem.gsi1sk.remove(),
                        InvoicePeriodItem.created_at.set(InvoicePeriodItem.created_at | now),
                        InvoicePeriodItem.updated_at.set(now),
                    ],
                    condition=InvoicePeriodItem.invoice_id.does_not_exist(),
                )
        except TransactionCancelled as exc:
            if "period" in exc.failed:
                raise AlreadyPosted([invoice.period]) from exc
            raise CounterMoved() from exc
        except TransactWriteError as exc:  # a concurrent transaction on the counter
            raise CounterMoved() from exc

    def last_number(self, year: int) -> int:
        try:
            item = InvoiceCounterItem.get(
                bkeys.invoice_counter_pk(year), bkeys.COUNTER_SK, consistent_read=True
            )
        except DoesNotExist:
            return 0
        return int(item.last)

    def due(self, period: str, after_org: str | None, limit: int) -> tuple[list[str], str | None]:
        condition = Item.gsi1sk > after_org if after_org else None
        result = Item.by_host.query(
            bkeys.invoice_due_gsi_pk(period), range_key_condition=condition, limit=limit, page_size=limit
        )
        orgs = [item.organization_id for item in result if isinstance(item, InvoicePeriodItem)]
        more = result.last_evaluated_key is not None and len(orgs) == limit
        return [o for o in orgs if o], (orgs[-1] if more and orgs else None)

    def page(self, org_id: str, limit: int, cursor: str | None) -> Page[Invoice]:
        partition = keys.org_pk(org_id)
        result = InvoiceItem.query(
            partition,
            InvoiceItem.sk.startswith(bkeys.INVOICE_PREFIX),
            scan_index_forward=False,
            limit=limit,
            page_size=limit,
            last_evaluated_key=decode_cursor(cursor, partition),
        )
        items = [_invoice(item) for item in result if isinstance(item, InvoiceItem)]
        return Page(items=items, next_cursor=encode_cursor(result.last_evaluated_key))

    def unpaid(self, org_id: str) -> list[Invoice]:
        result = InvoiceItem.query(
            keys.org_pk(org_id),
            InvoiceItem.sk.startswith(bkeys.INVOICE_PREFIX),
            filter_condition=InvoiceItem.status == "pending",
        )
        return [_invoice(item) for item in result if isinstance(item, InvoiceItem)]

    def mark_paid(self, invoice: Invoice, paid_at: datetime) -> bool:
        item = InvoiceItem(keys.org_pk(invoice.organization_id), bkeys.invoice_sk(invoice.id))
        try:
            item.update(
                actions=[
                    InvoiceItem.status.set("paid"),
                    InvoiceItem.paid_at.set(paid_at),
                    InvoiceItem.updated_at.set(paid_at),
                ],
                condition=InvoiceItem.status == "pending",
            )
        except UpdateError as exc:
            if exc.cause_response_code == "ConditionalCheckFailedException":
                return False
            raise
        return True

    def get(self, org_id: str, invoice_id: str) -> Invoice:
        try:
            item = InvoiceItem.get(keys.org_pk(org_id), bkeys.invoice_sk(invoice_id))
        except (DoesNotExist, ValueError) as exc:
            raise NotFound(f"Invoice {invoice_id} was not found.") from exc
        if not isinstance(item, InvoiceItem):
            raise NotFound(f"Invoice {invoice_id} was not found.")
        return _invoice(item)
