"""Top-ups through PayPal (the sandbox stub, over HTTP with the real SDK) and the wallet a user sees."""

from __future__ import annotations

from devstack.paypal_stub import PayPalStub
from tests.support.api import Api
from tests.support.billing import approve_at_paypal, balance, ledger, top_up


def test_a_new_organization_has_an_empty_wallet_that_nothing_burns(api: Api) -> None:
    ann = api.user()
    reply = ann.call("GET", "/api/billing/wallet")
    assert reply.status == 200
    assert reply.body["balance"] == "0.00" and reply.body["currency"] == "USD"
    assert reply.body["burn_rate_per_hour"] == "0.000000" and reply.body["runway_hours"] is None
    assert reply.body["status"] == "active"


def test_paypal_top_up_is_pending_until_approved_then_credited_once(api: Api, paypal: PayPalStub) -> None:
    # Given a user who asks to add 25.00 with PayPal
    ann = api.user()
    started = ann.call("POST", "/api/billing/wallet/add-funds", {"amount": 25, "payment_method": "paypal"})
    assert started.status == 200, started.body
    assert started.body["status"] == "pending" and started.body["new_balance"] == "0.00"
    order_id = started.body["order_id"]
    # When capturing before approving, nothing is credited
    early = ann.call("POST", f"/api/billing/wallet/add-funds/{order_id}/capture")
    assert early.status == 409 and balance(ann) == "0.00"
    # When they approve on PayPal's page and the app captures (twice, as a retrying client would)
    approve_at_paypal(paypal, started.body["approval_url"])
    first = ann.call("POST", f"/api/billing/wallet/add-funds/{order_id}/capture")
    again = ann.call("POST", f"/api/billing/wallet/add-funds/{order_id}/capture")
    # Then the wallet holds 25.00 once, with the PayPal capture id as the transaction id
    assert first.status == 200, first.body
    assert first.body["status"] == "completed" and first.body["new_balance"] == "25.00"
    assert (
        again.body["transaction_id"] == first.body["transaction_id"] and again.body["new_balance"] == "25.00"
    )
    # And PayPal's webhook for the same capture changes nothing
    assert paypal.deliver_pending() == [200]
    entries = ledger(ann)
    assert [(e["type"], e["amount"], e["balance_after"]) for e in entries] == [("topup", "25.00", "25.00")]
    assert entries[0]["reference"] == first.body["transaction_id"]


def test_the_webhook_alone_credits_a_capture_the_client_never_saw(api: Api, paypal: PayPalStub) -> None:
    ann = api.user()
    started = ann.call(
        "POST", "/api/billing/wallet/add-funds", {"amount": "10.50", "payment_method": "paypal"}
    )
    approve_at_paypal(paypal, started.body["approval_url"])
    # Given PayPal captured (the client's answer was lost)
    paypal.capture(started.body["order_id"])
    # When the webhook arrives
    assert paypal.deliver_pending() == [200]
    # Then the wallet is credited and a later capture call answers the same capture
    assert balance(ann) == "10.50"
    late = ann.call("POST", f"/api/billing/wallet/add-funds/{started.body['order_id']}/capture")
    assert late.status == 200 and late.body["new_balance"] == "10.50"


def test_amount_limits_and_the_maximum_balance_are_clear_400s(api: Api, paypal: PayPalStub) -> None:
    ann = api.user()
    for amount, words in ((1, "between 5.00 and 1000.00"), ("5000.00", "between"), ("1.234", "decimal")):
        reply = ann.call(
            "POST", "/api/billing/wallet/add-funds", {"amount": amount, "payment_method": "paypal"}
        )
        assert reply.status == 400, reply.body
        assert reply.body["error"]["details"][0]["field"] == "amount"
        assert words in reply.body["error"]["message"] or words in str(reply.body["error"]["details"])
    unknown = ann.call("POST", "/api/billing/wallet/add-funds", {"amount": 10, "payment_method": "card-123"})
    assert unknown.status == 400 and unknown.body["error"]["details"][0]["field"] == "payment_method"
    assert paypal.orders == {}  # nothing was asked of PayPal


def test_a_declined_capture_is_402_and_credits_nothing(api: Api, paypal: PayPalStub) -> None:
    ann = api.user()
    started = ann.call("POST", "/api/billing/wallet/add-funds", {"amount": 20, "payment_method": "paypal"})
    approve_at_paypal(paypal, started.body["approval_url"])
    paypal.inject("capture", "declined")
    reply = ann.call("POST", f"/api/billing/wallet/add-funds/{started.body['order_id']}/capture")
    assert reply.status == 402 and reply.body["error"]["code"] == "payment_declined"
    assert balance(ann) == "0.00"


def test_paypal_failing_is_503_and_a_retry_with_the_same_request_id_captures_once(
    api: Api, paypal: PayPalStub
) -> None:
    ann = api.user()
    started = ann.call("POST", "/api/billing/wallet/add-funds", {"amount": 30, "payment_method": "paypal"})
    approve_at_paypal(paypal, started.body["approval_url"])
    # Given PayPal answers 500 to every attempt of the SDK (it retries twice)
    paypal.inject("capture", "500", times=3)
    failed = ann.call("POST", f"/api/billing/wallet/add-funds/{started.body['order_id']}/capture")
    assert failed.status == 503 and balance(ann) == "0.00"
    # When PayPal is slow (it captured, but the answer came too late) and the client retries
    paypal.inject("capture", "timeout")
    retried = ann.call("POST", f"/api/billing/wallet/add-funds/{started.body['order_id']}/capture")
    if retried.status != 200:  # the SDK gave up waiting: our retry sends the same PayPal-Request-Id
        retried = ann.call("POST", f"/api/billing/wallet/add-funds/{started.body['order_id']}/capture")
    # Then PayPal captured once and the wallet is credited once
    assert retried.status == 200, retried.body
    assert len(paypal.captures) == 1 and balance(ann) == "30.00"


def test_a_saved_paypal_account_tops_up_in_one_step(api: Api, paypal: PayPalStub) -> None:
    ann = api.user()
    # Given the customer started saving their PayPal account
    setup = ann.call("POST", "/api/billing/payment-methods/setup")
    assert setup.status == 201 and setup.body["approval_url"].startswith(paypal.base_url), setup.body
    token = setup.body["setup_token"]
    # And saving it before the payer approved is refused, naming the token
    early = ann.call("POST", "/api/billing/payment-methods", {"setup_token": token})
    assert early.status == 400 and early.body["error"]["details"][0]["field"] == "setup_token"
    # When the payer approves at PayPal, which sends them back to the billing page with the token
    assert str(paypal.approve(token)).endswith("/billing?paypal=vaulted")
    # Then another organization cannot save it, and the customer can, once
    bob = api.user("Bob")
    stolen = bob.call("POST", "/api/billing/payment-methods", {"setup_token": token})
    assert stolen.status == 400 and stolen.body["error"]["details"][0]["field"] == "setup_token"
    saved = ann.call("POST", "/api/billing/payment-methods", {"setup_token": token})
    assert saved.status == 201, saved.body
    again = ann.call("POST", "/api/billing/payment-methods", {"setup_token": token})
    assert again.status == 400
    assert saved.body["provider"] == "paypal" and "@example.com" in saved.body["label"]
    listed = ann.call("GET", "/api/billing/payment-methods").body["payment_methods"]
    assert [m["id"] for m in listed] == [saved.body["id"]]
    # When they add funds with it
    reply = ann.call(
        "POST", "/api/billing/wallet/add-funds", {"amount": "12.00", "payment_method": saved.body["id"]}
    )
    # Then it is captured at once: the seed's {transaction_id, new_balance}
    assert reply.status == 200, reply.body
    assert reply.body["status"] == "completed" and reply.body["new_balance"] == "12.00"
    assert reply.body["transaction_id"] in paypal.captures
    assert paypal.deliver_pending() == [200] and balance(ann) == "12.00"
    # And it can be removed
    assert ann.call("DELETE", f"/api/billing/payment-methods/{saved.body['id']}").status == 204
    assert ann.call("GET", "/api/billing/payment-methods").body["payment_methods"] == []


def test_idempotency_key_replays_add_funds(api: Api, paypal: PayPalStub) -> None:
    ann = api.user()
    body = {"amount": 15, "payment_method": "paypal"}
    headers = {"Idempotency-Key": "topup-0001-abcdef"}
    first = ann.call("POST", "/api/billing/wallet/add-funds", body, headers=headers)
    second = ann.call("POST", "/api/billing/wallet/add-funds", body, headers=headers)
    assert first.status == second.status == 200
    assert second.headers.get("idempotent-replayed") == "true"
    assert second.body["order_id"] == first.body["order_id"] and len(paypal.orders) == 1


def test_top_up_helper_round_trip(api: Api, paypal: PayPalStub) -> None:
    ann = api.user()
    assert top_up(ann, paypal, "7.25")["new_balance"] == "7.25"
