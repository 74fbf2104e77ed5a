"""Billing's rows of the authorization matrix, and the owner's billing resources the cells name."""

from __future__ import annotations

from datetime import UTC, datetime

from devstack.paypal_stub import PayPalStub
from tests.support.matrix import Caller, Listing, Row, World

_STUB: list[PayPalStub] = []


def approved_order(world: World) -> str:
    """An order of the owner's that the payer approved at PayPal (capturable)."""
    reply = world.owner.call(
        "POST", "/api/billing/wallet/add-funds", {"amount": 10, "payment_method": "paypal"}
    )
    assert reply.status == 200, reply.body
    _STUB[0].approve(reply.body["order_id"])
    return str(reply.body["order_id"])


def setup_token(world: World) -> str:
    """A PayPal vault setup token the payer approved (what PayPal's JS SDK hands the browser)."""
    token = str(_STUB[0].create_setup_token({"payment_source": {"paypal": {}}})["id"])
    _STUB[0].approve(token)
    return token


def saved_method(world: World) -> str:
    reply = world.owner.call("POST", "/api/billing/payment-methods", {"setup_token": setup_token(world)})
    assert reply.status == 201, reply.body
    return str(reply.body["id"])


def add_billing_resources(world: World, stub: PayPalStub) -> None:
    """The owner's order, saved method, ledger entry and invoice, and a billing run, for the cells."""
    from chalicelib.domain.billing.entities import Posting
    from chalicelib.wiring.billing import get_invoicing, get_runner, get_wallet

    _STUB[:] = [stub]
    world.makers.update({"order_id": approved_order, "method_id": saved_method})
    [entry] = get_wallet().post(
        world.owner.org_id,
        [
            Posting(
                key="matrix:usage", kind="usage", amount_cents=-125, description="usage", created_by="system"
            )
        ],
    )
    invoice = get_invoicing().issue(world.owner.org_id, datetime.now(UTC).strftime("%Y-%m"))
    assert invoice is not None
    world.ids.update(
        {
            "order_id": approved_order(world),
            "method_id": saved_method(world),
            "entry_id": entry.id,
            "invoice_id": invoice.id,
            "run_id": get_runner().launch().id,
        }
    )


def _month() -> str:
    return datetime.now(UTC).strftime("%Y-%m")


PRICES = {"cpu_per_vcpu_hour": "0.012", "memory_per_gib_hour": "0.004", "storage_per_gib_month": "0.10"}

BILLING_ROWS: dict[str, Row] = {
    "get_wallet_balance": Row(),
    "list_transactions": Row(lists=Listing("transactions", "entry_id")),
    "add_funds": Row(body=lambda w: {"amount": "10.00", "payment_method": "paypal"}),
    "capture_funds": Row(),
    "list_payment_methods": Row(lists=Listing("payment_methods", "method_id")),
    "add_payment_method": Row(body=lambda w: {"setup_token": setup_token(w)}),
    "remove_payment_method": Row(fresh=("method_id",)),
    "list_plans": Row(),
    "get_usage": Row(query=f"?period={_month()}"),
    "list_invoices": Row(lists=Listing("invoices", "invoice_id")),
    "get_invoice": Row(),
    "get_invoice_pdf": Row(headers={"Accept": "application/pdf"}),
    # PayPal signs its deliveries; a request without a signature is refused whoever sends it
    "paypal_webhook": Row(
        body=lambda w: {"id": "WH-matrix", "event_type": "PAYMENT.CAPTURE.COMPLETED", "resource": {}},
        expect=dict.fromkeys(Caller, 400),
    ),
    "adjust_wallet": Row(
        body=lambda w: {"organization_id": w.owner.org_id, "amount": "1.00", "reason": "matrix"}
    ),
    "get_pricing": Row(),
    "set_pricing": Row(body=lambda w: PRICES),
    "start_billing_run": Row(body=lambda w: {}),
    "get_billing_run": Row(),
    "issue_invoices": Row(body=lambda w: {"period": _month()}),
    "list_reconciliations": Row(),
    "reconcile_payments": Row(body=lambda w: {"day": datetime.now(UTC).strftime("%Y-%m-%d")}),
}
