"""Operators' billing routes: manual credits and debits, prices, billing runs, invoices, reconciliation."""

from __future__ import annotations

import uuid

from chalicelib.api.billing.admin_schemas import (
    AdjustmentIn,
    InvoiceRunIn,
    InvoiceRunOut,
    PricingIn,
    ReconcileIn,
    ReconciliationListOut,
    ReconciliationOut,
    RunIn,
    RunOut,
)
from chalicelib.api.billing.blueprint import bp
from chalicelib.api.billing.schemas import PlansOut, TransactionOut
from chalicelib.api.http import Call, endpoint
from chalicelib.api.wire import PageQuery
from chalicelib.domain.shared.money import to_cents
from chalicelib.wiring.billing import billing_policy, get_invoicing, get_reconciler, get_runner, get_wallet

TAG = "admin"


@endpoint(
    bp,
    "/api/admin/billing/adjustments",
    "POST",
    summary="Credit (amount > 0) or debit (< 0) an organization's wallet by hand, with a reason",
    tag=TAG,
    auth="admin",
    status=201,
    request=AdjustmentIn,
    response=TransactionOut,
    errors=(402, 404),
    idempotent=True,
)
def adjust_wallet(call: Call) -> TransactionOut:
    body: AdjustmentIn = call.body
    entry = get_wallet().adjust(
        call.principal, body.organization_id, to_cents(body.amount), body.reason, str(uuid.uuid4())
    )
    return TransactionOut.of(entry)


@endpoint(
    bp,
    "/api/admin/billing/pricing",
    "GET",
    summary="The container price list",
    tag=TAG,
    auth="admin",
    response=PlansOut,
)
def get_pricing(call: Call) -> PlansOut:
    return PlansOut.of(get_runner().pricing())


@endpoint(
    bp,
    "/api/admin/billing/pricing",
    "PUT",
    summary="Change the container price list (applies from the next billing run)",
    tag=TAG,
    auth="admin",
    request=PricingIn,
    response=PlansOut,
)
def set_pricing(call: Call) -> PlansOut:
    body: PricingIn = call.body
    return PlansOut.of(get_runner().set_pricing(body.to_domain(billing_policy().currency)))


@endpoint(
    bp,
    "/api/admin/billing/run",
    "POST",
    summary="Start a billing run now (it also runs every hour)",
    tag=TAG,
    auth="admin",
    status=202,
    request=RunIn,
    response=RunOut,
    errors=(503,),
    idempotent=True,
)
def start_billing_run(call: Call) -> RunOut:
    body: RunIn = call.body
    return RunOut.of(get_runner().launch(body.until))


@endpoint(
    bp,
    "/api/admin/billing/runs/{run_id}",
    "GET",
    summary="A billing run's progress and totals",
    tag=TAG,
    auth="admin",
    response=RunOut,
    errors=(404,),
)
def get_billing_run(call: Call, run_id: str) -> RunOut:
    return RunOut.of(get_runner().run(run_id))


@endpoint(
    bp,
    "/api/admin/billing/invoices",
    "POST",
    summary="Issue the month's invoices now (it also runs daily for the previous month)",
    tag=TAG,
    auth="admin",
    request=InvoiceRunIn,
    response=InvoiceRunOut,
    idempotent=True,
)
def issue_invoices(call: Call) -> InvoiceRunOut:
    body: InvoiceRunIn = call.body
    return InvoiceRunOut(period=body.period, issued=get_invoicing().issue_due(body.period))


@endpoint(
    bp,
    "/api/admin/billing/reconciliations",
    "GET",
    summary="PayPal reconciliation reports, newest first",
    tag=TAG,
    auth="admin",
    query=PageQuery,
    response=ReconciliationListOut,
)
def list_reconciliations(call: Call) -> ReconciliationListOut:
    q: PageQuery = call.query
    page = get_reconciler().reports(q.limit, q.cursor)
    return ReconciliationListOut(
        reconciliations=[ReconciliationOut.of(r) for r in page.items], next_cursor=page.next_cursor
    )


@endpoint(
    bp,
    "/api/admin/billing/reconciliations",
    "POST",
    summary="Reconcile a day with PayPal now (it also runs daily for yesterday)",
    tag=TAG,
    auth="admin",
    status=201,
    request=ReconcileIn,
    response=ReconciliationOut,
    errors=(503,),
    idempotent=True,
)
def reconcile_payments(call: Call) -> ReconciliationOut:
    body: ReconcileIn = call.body
    return ReconciliationOut.of(get_reconciler().run(body.day))
