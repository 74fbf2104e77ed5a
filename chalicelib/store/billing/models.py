"""Billing items of the main table (wallets are accounts' WalletItem, moved here by condition and version)."""

from __future__ import annotations

from pynamodb.attributes import (
    JSONAttribute,
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
)

from chalicelib.store.table import Item


class LedgerItem(Item, discriminator="ledger"):
    id = UnicodeAttribute()
    organization_id = UnicodeAttribute()
    kind = UnicodeAttribute()
    amount_cents = NumberAttribute()
    balance_after_cents = NumberAttribute()
    currency = UnicodeAttribute()
    description = UnicodeAttribute()
    idempotency_key = UnicodeAttribute()
    created_by = UnicodeAttribute()
    reference = UnicodeAttribute(null=True)
    resource_id = UnicodeAttribute(null=True)
    resource_name = UnicodeAttribute(null=True)
    resource_kind = UnicodeAttribute(null=True)
    period_start = UTCDateTimeAttribute(null=True)
    period_end = UTCDateTimeAttribute(null=True)
    quantity_minutes = NumberAttribute(null=True)
    reason = UnicodeAttribute(null=True)


class LedgerKeyItem(Item, discriminator="ledger_key"):
    """Guard: this idempotency key was applied, by that entry."""

    ledger_id = UnicodeAttribute()


class PaymentItem(Item, discriminator="payment"):
    order_id = UnicodeAttribute()
    organization_id = UnicodeAttribute()
    amount_cents = NumberAttribute()
    currency = UnicodeAttribute()
    status = UnicodeAttribute()
    created_by = UnicodeAttribute()
    approval_url = UnicodeAttribute(null=True)
    capture_id = UnicodeAttribute(null=True)


class PaymentMethodItem(Item, discriminator="payment_method"):
    id = UnicodeAttribute()
    organization_id = UnicodeAttribute()
    provider = UnicodeAttribute()
    vault_token_id = UnicodeAttribute()
    label = UnicodeAttribute()
    created_by = UnicodeAttribute()


class UsageChange(MapAttribute[str, object]):
    at = UTCDateTimeAttribute()
    cpu_millis = NumberAttribute(default=0)
    memory_bytes = NumberAttribute(default=0)
    storage_bytes = NumberAttribute(default=0)
    hourly_micros = NumberAttribute(null=True)


class MeterItem(Item, discriminator="meter"):
    """A metered resource; written in the same transaction as the resource's create, resize and delete."""

    organization_id = UnicodeAttribute(null=True)
    resource_id = UnicodeAttribute(null=True)
    kind = UnicodeAttribute(null=True)
    name = UnicodeAttribute(null=True)
    changes = ListAttribute(of=UsageChange, null=True)
    ended_at = UTCDateTimeAttribute(null=True)
    billed_until = UTCDateTimeAttribute(null=True)
    carry_micros = NumberAttribute(null=True)


class BillingStateItem(Item, discriminator="billing"):
    organization_id = UnicodeAttribute()
    zero_since = UTCDateTimeAttribute(null=True)
    suspended_at = UTCDateTimeAttribute(null=True)
    suspended_ids = ListAttribute(of=UnicodeAttribute, null=True)
    warned_below_hours = NumberAttribute(null=True)
    termination_notice_at = UTCDateTimeAttribute(null=True)
    terminated_at = UTCDateTimeAttribute(null=True)


class PricingItem(Item, discriminator="pricing"):
    cpu_hour_micros = NumberAttribute()
    memory_gib_hour_micros = NumberAttribute()
    storage_gib_month_micros = NumberAttribute()
    currency = UnicodeAttribute()


class InvoiceItem(Item, discriminator="invoice"):
    id = UnicodeAttribute()
    organization_id = UnicodeAttribute()
    number = UnicodeAttribute()
    period = UnicodeAttribute()
    status = UnicodeAttribute()
    amount_cents = NumberAttribute()
    tax_cents = NumberAttribute()
    tax_name = UnicodeAttribute(null=True)
    currency = UnicodeAttribute()
    lines = JSONAttribute()
    seller = JSONAttribute()
    buyer = JSONAttribute()
    due_date = UTCDateTimeAttribute()
    paid_at = UTCDateTimeAttribute(null=True)


class InvoiceNumberItem(Item, discriminator="invoice_no"):
    """Guard: the invoice number is taken (unique), and by which invoice."""

    organization_id = UnicodeAttribute()
    invoice_id = UnicodeAttribute()


class InvoiceCounterItem(Item, discriminator="invoice_counter"):
    """The year's last invoice number; advanced in the same transaction as the invoice it numbers."""

    last = NumberAttribute()


class InvoicePeriodItem(Item, discriminator="invoice_period"):
    """An organization's month: due for an invoice while it has gsi1 keys, closed once invoice_id is set."""

    organization_id = UnicodeAttribute(null=True)
    period = UnicodeAttribute(null=True)
    invoice_id = UnicodeAttribute(null=True)


class ReconciliationItem(Item, discriminator="reconciliation"):
    id = UnicodeAttribute()
    day = UnicodeAttribute()
    paypal_captures = NumberAttribute()
    ledger_topups = NumberAttribute()
    paypal_refunds = NumberAttribute(null=True)
    ledger_refunds = NumberAttribute(null=True)
    matched = NumberAttribute()
    findings = JSONAttribute()


class BillingRunItem(Item, discriminator="billing_run"):
    id = UnicodeAttribute()
    until = UTCDateTimeAttribute()
    status = UnicodeAttribute()
    organizations = NumberAttribute(default=0)
    resources = NumberAttribute(default=0)
    charged_cents = NumberAttribute(default=0)
    finished_at = UTCDateTimeAttribute(null=True)
