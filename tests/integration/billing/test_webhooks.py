"""PayPal webhooks: verified with PayPal (the stub's verify-webhook-signature), each capture credited once."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

from devstack.paypal_signing import canonical
from devstack.paypal_stub import PayPalStub
from tests.support.api import Api
from tests.support.billing import approve_at_paypal, balance, ledger, top_up

REPLAYS = 25


def test_twenty_five_replays_some_concurrent_credit_once(api: Api, paypal: PayPalStub) -> None:
    from chalicelib.wiring.billing import get_webhooks

    # Given one signed PAYMENT.CAPTURE.COMPLETED event for 40.00
    ann = api.user()
    started = ann.call(
        "POST", "/api/billing/wallet/add-funds", {"amount": "40.00", "payment_method": "paypal"}
    )
    approve_at_paypal(paypal, started.body["approval_url"])
    paypal.capture(started.body["order_id"])
    [(headers, body)] = list(paypal.outbox)
    paypal.outbox.clear()
    # When it arrives 25 times: 10 one after another over HTTP, 15 at once (the route's handler, in threads)
    answers = [api.call("POST", "/api/webhooks/paypal", headers=headers, raw=body) for _ in range(10)]
    lowered = {k.lower(): v for k, v in headers.items()}
    with ThreadPoolExecutor(max_workers=15) as pool:
        outcomes = list(pool.map(lambda _: get_webhooks().handle(lowered, body), range(REPLAYS - 10)))
    # Then every delivery is acknowledged, and the wallet was credited exactly once
    assert [a.status for a in answers] == [200] * 10
    assert answers[0].body["status"] == "processed"
    assert {a.body["status"] for a in answers[1:]} == {"duplicate"}
    assert set(outcomes) <= {"processed", "duplicate"}
    assert balance(ann) == "40.00"
    assert [(e["type"], e["amount"]) for e in ledger(ann)] == [("topup", "40.00")]


def test_a_forged_signature_is_400_and_changes_nothing(api: Api, paypal: PayPalStub) -> None:
    ann = api.user()
    started = ann.call(
        "POST", "/api/billing/wallet/add-funds", {"amount": "20.00", "payment_method": "paypal"}
    )
    approve_at_paypal(paypal, started.body["approval_url"])
    paypal.capture(started.body["order_id"])
    [(headers, body)] = list(paypal.outbox)
    paypal.outbox.clear()
    # Given an attacker who raises the amount of a real event, and one who signs with their own key
    event = json.loads(body)
    event["resource"]["amount"]["value"] = "9000.00"
    tampered = api.call("POST", "/api/webhooks/paypal", headers=headers, raw=canonical(event))
    forged = api.call(
        "POST", "/api/webhooks/paypal", headers={**headers, "PAYPAL-TRANSMISSION-SIG": "Zm9yZ2Vk"}, raw=body
    )
    unsigned = api.call(
        "POST", "/api/webhooks/paypal", headers={"Content-Type": "application/json"}, raw=body
    )
    # Then each is a 400 and no money moved
    for reply in (tampered, forged, unsigned):
        assert reply.status == 400, reply.body
        assert reply.body["error"]["code"] == "validation_error"
    assert balance(ann) == "0.00" and ledger(ann) == []
    # And the genuine delivery still credits
    assert api.call("POST", "/api/webhooks/paypal", headers=headers, raw=body).status == 200
    assert balance(ann) == "20.00"


def test_a_refund_debits_the_wallet_once_even_below_zero(api: Api, paypal: PayPalStub) -> None:
    # Given a user who added 50.00 and spent 45.00 of it
    ann = api.user()
    top_up(ann, paypal, "50.00")
    paypal.deliver_pending()
    admin = api.admin()
    spent = admin.call(
        "POST",
        "/api/admin/billing/adjustments",
        {"organization_id": ann.org_id, "amount": "-45.00", "reason": "usage"},
    )
    assert spent.status == 201, spent.body
    capture_id = ledger(ann)[-1]["reference"]
    # When PayPal refunds the whole payment (twice delivered)
    paypal.inject("refund", "duplicate_webhook")
    refund = paypal.refund(capture_id, {}, paypal.failure("refund"))
    assert paypal.deliver_pending() == [200, 200]
    # Then the refund is one debit of 50.00, taking the balance to -45.00
    entries = ledger(ann)
    assert (entries[0]["type"], entries[0]["amount"]) == ("refund", "-50.00")
    assert [e["type"] for e in entries].count("refund") == 1
    assert entries[0]["reference"] == capture_id and refund["status"] == "COMPLETED"
    assert balance(ann) == "-45.00"


def test_an_event_for_someone_else_is_acknowledged_and_ignored(api: Api, paypal: PayPalStub) -> None:
    event = {
        "id": "WH-NOT-OURS",
        "event_type": "PAYMENT.CAPTURE.COMPLETED",
        "resource": {
            "id": "CAP1",
            "amount": {"currency_code": "USD", "value": "5.00"},
            "custom_id": "unknown-org",
        },
    }
    body = canonical(event)
    reply = api.call("POST", "/api/webhooks/paypal", headers=paypal.sign(body), raw=body)
    assert reply.status == 200 and reply.body["status"] == "ignored"
