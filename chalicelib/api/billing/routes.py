"""Seed routes for billing (wallet, top-ups, payment methods, plans, usage, invoices) and PayPal's webhook."""

from __future__ import annotations

from chalice.app import Response

from chalicelib.api.billing import admin_routes as _operators  # noqa: F401 - registers the operators' routes on bp
from chalicelib.api.billing.blueprint import PDF
from chalicelib.api.billing.blueprint import bp as bp
from chalicelib.api.billing.schemas import (
    AddFundsIn,
    AddFundsOut,
    InvoiceListOut,
    InvoiceOut,
    MethodSetupOut,
    PaymentMethodIn,
    PaymentMethodListOut,
    PaymentMethodOut,
    PayPalEventIn,
    PlansOut,
    TransactionListOut,
    TransactionOut,
    UsageOut,
    UsageQuery,
    WalletOut,
    WebhookOut,
)
from chalicelib.api.http import Call, endpoint
from chalicelib.api.wire import PageQuery
from chalicelib.domain.shared.money import to_cents
from chalicelib.domain.shared.roles import ANY_MEMBER, PAY
from chalicelib.wiring.billing import get_invoicing, get_runner, get_saved_methods, get_wallet, get_webhooks

TAG = "billing"


@endpoint(
    bp,
    "/api/billing/wallet",
    "GET",
    summary="Balance, burn rate and runway",
    tag=TAG,
    response=WalletOut,
    roles=ANY_MEMBER,
)
def get_wallet_balance(call: Call) -> WalletOut:
    return WalletOut.of(get_wallet().view(call.principal))


@endpoint(
    bp,
    "/api/billing/transactions",
    "GET",
    summary="The wallet's ledger, newest first, a page at a time",
    tag=TAG,
    query=PageQuery,
    response=TransactionListOut,
    roles=ANY_MEMBER,
)
def list_transactions(call: Call) -> TransactionListOut:
    q: PageQuery = call.query
    page = get_wallet().transactions(call.principal, q.limit, q.cursor)
    return TransactionListOut(
        transactions=[TransactionOut.of(e) for e in page.items], next_cursor=page.next_cursor
    )


@endpoint(
    bp,
    "/api/billing/wallet/add-funds",
    "POST",
    summary="Top up: 'paypal' answers an approval_url (pending); a saved method is captured at once",
    tag=TAG,
    request=AddFundsIn,
    response=AddFundsOut,
    errors=(402, 503),
    idempotent=True,
    roles=PAY,
)
def add_funds(call: Call) -> AddFundsOut:
    body: AddFundsIn = call.body
    return AddFundsOut.of(get_wallet().add_funds(call.principal, to_cents(body.amount), body.payment_method))


@endpoint(
    bp,
    "/api/billing/wallet/add-funds/{order_id}/capture",
    "POST",
    summary="Capture an approved PayPal order and credit the wallet (once)",
    tag=TAG,
    response=AddFundsOut,
    errors=(402, 404, 409, 503),
    idempotent=True,
    roles=PAY,
)
def capture_funds(call: Call, order_id: str) -> AddFundsOut:
    return AddFundsOut.of(get_wallet().capture(call.principal, order_id))


@endpoint(
    bp,
    "/api/billing/payment-methods",
    "GET",
    summary="Saved payment methods",
    tag=TAG,
    response=PaymentMethodListOut,
    roles=ANY_MEMBER,
)
def list_payment_methods(call: Call) -> PaymentMethodListOut:
    methods = get_saved_methods().list(call.principal)
    return PaymentMethodListOut(payment_methods=[PaymentMethodOut.of(m) for m in methods])


@endpoint(
    bp,
    "/api/billing/payment-methods",
    "POST",
    summary="Save a PayPal account (an approved vault setup token) for one-step top-ups",
    tag=TAG,
    status=201,
    request=PaymentMethodIn,
    response=PaymentMethodOut,
    errors=(503,),
    idempotent=True,
    roles=PAY,
)
def add_payment_method(call: Call) -> PaymentMethodOut:
    body: PaymentMethodIn = call.body
    return PaymentMethodOut.of(get_saved_methods().save(call.principal, body.setup_token))


@endpoint(
    bp,
    "/api/billing/payment-methods/setup",
    "POST",
    summary="Start saving a PayPal account: open approval_url; PayPal sends the payer back to "
    "/billing?paypal=vaulted&token=<setup_token>, then POST /api/billing/payment-methods saves it",
    tag=TAG,
    status=201,
    response=MethodSetupOut,
    errors=(503,),
    idempotent=True,
    roles=PAY,
)
def start_payment_method(call: Call) -> MethodSetupOut:
    setup = get_saved_methods().start(call.principal)
    return MethodSetupOut(setup_token=setup.id, approval_url=setup.approval_url or "")


@endpoint(
    bp,
    "/api/billing/payment-methods/{method_id}",
    "DELETE",
    summary="Forget a saved payment method (and its PayPal vault token)",
    tag=TAG,
    status=204,
    errors=(404,),
    roles=PAY,
)
def remove_payment_method(call: Call, method_id: str) -> None:
    get_saved_methods().remove(call.principal, method_id)


@endpoint(
    bp,
    "/api/billing/plans",
    "GET",
    summary="Price lists: containers per vCPU-hour, GiB-hour of memory, GiB-month of storage",
    tag=TAG,
    auth="user",
    response=PlansOut,
)
def list_plans(call: Call) -> PlansOut:
    return PlansOut.of(get_runner().pricing())


@endpoint(
    bp,
    "/api/billing/usage",
    "GET",
    summary="Usage per resource in a month (default: this one) with its cost, billed and not yet billed",
    tag=TAG,
    query=UsageQuery,
    response=UsageOut,
    roles=ANY_MEMBER,
)
def get_usage(call: Call) -> UsageOut:
    q: UsageQuery = call.query
    period, usage = get_runner().usage(call.principal, q.period)
    return UsageOut.of(period, usage)


@endpoint(
    bp,
    "/api/billing/invoices",
    "GET",
    summary="Monthly invoices, newest first",
    tag=TAG,
    query=PageQuery,
    response=InvoiceListOut,
    roles=ANY_MEMBER,
)
def list_invoices(call: Call) -> InvoiceListOut:
    q: PageQuery = call.query
    page = get_invoicing().page(call.principal, q.limit, q.cursor)
    return InvoiceListOut(invoices=[InvoiceOut.of(i) for i in page.items], next_cursor=page.next_cursor)


@endpoint(
    bp,
    "/api/billing/invoices/{invoice_id}",
    "GET",
    summary="One invoice",
    tag=TAG,
    response=InvoiceOut,
    errors=(404,),
    roles=ANY_MEMBER,
)
def get_invoice(call: Call, invoice_id: str) -> InvoiceOut:
    return InvoiceOut.of(get_invoicing().get(call.principal, invoice_id))


@endpoint(
    bp,
    "/api/billing/invoices/{invoice_id}/pdf",
    "GET",
    summary="The invoice as a PDF (send Accept: application/pdf)",
    tag=TAG,
    errors=(404,),
    roles=ANY_MEMBER,
)
def get_invoice_pdf(call: Call, invoice_id: str) -> Response:
    invoice, document = get_invoicing().pdf(call.principal, invoice_id)
    return Response(
        body=document,
        status_code=200,
        headers={"Content-Type": PDF, "Content-Disposition": f'attachment; filename="{invoice.number}.pdf"'},
    )


@endpoint(
    bp,
    "/api/webhooks/paypal",
    "POST",
    summary="PayPal webhook events (verified with PayPal; each event processed once)",
    tag="webhooks",
    auth="none",
    request=PayPalEventIn,
    response=WebhookOut,
    errors=(400, 503),
)
def paypal_webhook(call: Call) -> WebhookOut:
    request = bp.current_request
    headers = {name.lower(): str(value) for name, value in request.headers.items()}
    return WebhookOut(status=get_webhooks().handle(headers, request.raw_body))  # type: ignore[arg-type]
