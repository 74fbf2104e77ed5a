"""The PayPal sandbox stub cannot drift from PayPal: the real adapter (paypal-server-sdk) drives every
operation the stub serves, and each request it sent and each answer the stub gave is validated against
PayPal's published OpenAPI documents, as are the webhook events the stub delivers."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import requests

from chalicelib.adapters.paypal.gateway import PayPalGateway
from chalicelib.domain.shared.errors import Conflict, PaymentDeclined, ServiceUnavailable
from devstack.paypal_http import PayPalServer
from devstack.paypal_signing import canonical
from devstack.paypal_stub import CLIENT_ID, CLIENT_SECRET, WEBHOOK_ID, PayPalStub
from tests.support.paypal_contract import component_errors, operation, request_errors, response_errors


@pytest.fixture
def server() -> Iterator[PayPalServer]:
    served = PayPalServer()
    served.start()
    try:
        yield served
    finally:
        served.stop()


def gateway(server: PayPalServer) -> PayPalGateway:
    return PayPalGateway(server.url, CLIENT_ID, CLIENT_SECRET, WEBHOOK_ID, timeout=2)


def merchant_token(stub: PayPalStub) -> str:
    reply = requests.post(
        f"{stub.base_url}/v1/oauth2/token",
        auth=(CLIENT_ID, CLIENT_SECRET),
        data={"grant_type": "client_credentials"},
        timeout=5,
    )
    return str(reply.json()["access_token"])


def exercise(server: PayPalServer) -> None:
    """Every operation the stub serves, through the adapter (what PayPal's merchant tools do: over HTTP)."""
    stub, paypal = server.stub, gateway(server)
    now = datetime.now(UTC)
    order = paypal.create_order(2500, "USD", "org-1", "req-1", "http://127.0.0.1/ok", "http://127.0.0.1/no")
    assert order.status == "PAYER_ACTION_REQUIRED" and order.approval_url
    with pytest.raises(Conflict):
        paypal.capture_order(order.id, "req-2")
    stub.approve(order.id)
    stub.inject("capture", "declined")
    with pytest.raises(PaymentDeclined):
        paypal.capture_order(order.id, "req-3")
    capture = paypal.capture_order(order.id, "req-4")
    assert capture.status == "COMPLETED" and capture.amount_cents == 2500 and capture.custom_id == "org-1"
    assert paypal.capture_order(order.id, "req-5").capture_id == capture.capture_id  # already captured
    token = merchant_token(stub)
    auth = {"Authorization": f"Bearer {token}"}
    setup_order = paypal.create_setup_token("req-5", "http://127.0.0.1/ok", "http://127.0.0.1/no")
    assert setup_order.approval_url and setup_order.id in setup_order.approval_url
    setup = {"id": setup_order.id}
    stub.approve(setup["id"])
    vault_id, label = paypal.vault_setup_token(setup["id"], "req-6")
    assert label.startswith("PayPal ")
    vaulted = paypal.charge_vaulted(vault_id, 1200, "USD", "org-2", "req-7")
    assert vaulted.status == "COMPLETED" and vaulted.amount_cents == 1200
    refund = requests.post(
        f"{stub.base_url}/v2/payments/captures/{capture.capture_id}/refund", headers=auth, json={}, timeout=5
    )
    assert refund.status_code == 201
    requests.get(f"{stub.base_url}/v2/payments/captures/{capture.capture_id}", headers=auth, timeout=5)
    paypal.delete_vault_token(vault_id)
    found = list(paypal.search_transactions(now - timedelta(hours=1), now + timedelta(hours=1)))
    refunded = refund.json()["id"]
    assert {t.transaction_id for t in found} == {capture.capture_id, vaulted.capture_id, refunded}
    [back] = [t for t in found if t.transaction_id == refunded]
    assert back.event_code == "T1107" and back.amount_cents < 0 and back.reference_id == capture.capture_id
    assert list(paypal.search_transactions(now - timedelta(days=3), now - timedelta(days=2))) == []
    headers, body = stub.outbox[0]
    import json

    event = json.loads(body)
    assert paypal.verify_webhook(headers, event) is True
    assert paypal.verify_webhook({**headers, "PAYPAL-TRANSMISSION-SIG": "Zm9v"}, event) is False
    event["resource"]["amount"]["value"] = "1.00"
    assert paypal.verify_webhook(headers, event) is False


def test_every_exchange_follows_paypals_documents(server: PayPalServer) -> None:
    # Given every operation the stub serves, driven through the real SDK
    exercise(server)
    exchanges = server.stub.exchanges
    served = {(e.method, operation(e.method, e.path).template) for e in exchanges}
    assert served >= {
        ("POST", "/v2/checkout/orders"),
        ("GET", "/v2/checkout/orders/{id}"),
        ("POST", "/v2/checkout/orders/{id}/capture"),
        ("GET", "/v2/payments/captures/{capture_id}"),
        ("POST", "/v2/payments/captures/{capture_id}/refund"),
        ("POST", "/v3/vault/setup-tokens"),
        ("POST", "/v3/vault/payment-tokens"),
        ("DELETE", "/v3/vault/payment-tokens/{id}"),
        ("POST", "/v1/notifications/verify-webhook-signature"),
        ("GET", "/v1/reporting/transactions"),
    }
    # Then each request and each answer validates against PayPal's schema for it
    problems = []
    for e in exchanges:
        for where, errors in (
            ("request", request_errors(e.method, e.path, e.request)),
            (f"response {e.status}", response_errors(e.method, e.path, e.status, e.response)),
        ):
            problems += [f"{e.method} {e.path} {where}: {error}" for error in errors]
    assert not problems, "\n".join(problems)
    assert any(e.status >= 400 for e in exchanges), "error answers are validated too"


def test_delivered_webhook_events_follow_paypals_documents(server: PayPalServer) -> None:
    exercise(server)
    events = server.stub.delivered
    assert {e["event_type"] for e in events} == {"PAYMENT.CAPTURE.COMPLETED", "PAYMENT.CAPTURE.REFUNDED"}
    problems = []
    for event in events:
        problems += component_errors("notifications_webhooks_v1.json", "event", event)
        kind = "capture" if event["resource_type"] == "capture" else "refund"
        problems += component_errors("payments_payment_v2.json", kind, event["resource"])
    assert not problems, "\n".join(problems)


def test_injected_failures_reach_the_adapter_as_retryable_errors(server: PayPalServer) -> None:
    paypal = gateway(server)
    server.stub.inject("create_order", "500", times=3)  # the SDK retries twice, then gives up
    with pytest.raises(ServiceUnavailable):
        paypal.create_order(500, "USD", "org", "req-500", "http://127.0.0.1/ok", "http://127.0.0.1/no")
    server.stub.inject("search", "timeout", times=3)
    server.stub.timeout_seconds = 2.5
    with pytest.raises(ServiceUnavailable):
        list(paypal.search_transactions(datetime.now(UTC), datetime.now(UTC)))


def test_a_bad_client_secret_gets_no_token(server: PayPalServer) -> None:
    paypal = PayPalGateway(server.url, CLIENT_ID, "wrong", WEBHOOK_ID, timeout=2)
    with pytest.raises(ServiceUnavailable):
        paypal.create_order(500, "USD", "org", "req-x", "http://127.0.0.1/ok", "http://127.0.0.1/no")
    body = canonical({"id": "x"})
    assert server.stub.verify({"webhook_event": {"id": "x"}, **{"transmission_sig": "AA=="}}) == {
        "verification_status": "FAILURE"
    }
    assert body
