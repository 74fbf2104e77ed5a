"""Key strings of the billing records (the billing slice of store/keys.py's grammar)."""

from __future__ import annotations

import zlib

from chalicelib.store.keys import ORG_PREFIX

BILLING_SHARDS = 16
LEDGER_PREFIX = "LEDGER#"
METER_PREFIX = "METER#"
PAYMENT_METHOD_PREFIX = "PAYMENTMETHOD#"
INVOICE_PREFIX = "INVOICE#"
BILLING_SK = "BILLING"
PRICING_PK = "PRICING"
PRICING_SK = "CONTAINER"
RECONCILIATIONS_PK = "RECONCILIATIONS"
RUNS_PK = "BILLINGRUNS"
INVOICE_NUMBER_SK = "INVOICE"
COUNTER_SK = "COUNTER"


def ledger_sk(entry_id: str) -> str:
    return f"{LEDGER_PREFIX}{entry_id}"


def ledger_key_sk(idempotency_key: str) -> str:
    """Permanent guard: one ledger entry per idempotency key, however late the retry."""
    return f"LEDGERKEY#{idempotency_key}"


def topups_gsi_pk(day: str) -> str:
    """gsi1 partition of one UTC day's PayPal top-ups, all organizations (daily reconciliation)."""
    return f"TOPUPS#{day}"


def payment_sk(order_id: str) -> str:
    return f"PAYMENT#{order_id}"


def payment_method_sk(method_id: str) -> str:
    return f"{PAYMENT_METHOD_PREFIX}{method_id}"


def meter_sk(resource_id: str) -> str:
    return f"{METER_PREFIX}{resource_id}"


def shard_of(org_id: str) -> int:
    return zlib.crc32(org_id.encode()) % BILLING_SHARDS


def billable_gsi_pk(shard: int) -> str:
    """gsi1 partition listing the meters of the organizations in one shard (the billing run's Map)."""
    return f"BILLABLE#{shard}"


def billable_gsi_sk(org_id: str, resource_id: str) -> str:
    return f"{ORG_PREFIX}{org_id}#{METER_PREFIX}{resource_id}"


def invoice_sk(invoice_id: str) -> str:
    return f"{INVOICE_PREFIX}{invoice_id}"


def invoice_period_sk(period: str) -> str:
    return f"INVOICEPERIOD#{period}"


def invoice_due_gsi_pk(period: str) -> str:
    """gsi1 partition of the organizations with charges in a month and no invoice yet (sparse)."""
    return f"INVOICEDUE#{period}"


def invoice_number_pk(number: str) -> str:
    return f"INVOICENO#{number}"


def invoice_counter_pk(year: int) -> str:
    return f"INVOICECOUNTER#{year}"


def paypal_event_pk(event_id: str) -> str:
    """Ephemeral table: a PayPal webhook event already processed."""
    return f"PAYPALEVENT#{event_id}"


def reconciliation_sk(day: str, report_id: str) -> str:
    return f"RECON#{day}#{report_id}"


def run_sk(run_id: str) -> str:
    return f"RUN#{run_id}"
