"""Daily reconciliation with PayPal's Transaction Search: what PayPal has and the ledger lacks is credited
once; what the ledger has and PayPal does not is reported, never changed."""

from __future__ import annotations

from datetime import UTC, datetime

from chalicelib.domain.billing.entities import Posting
from devstack.paypal_stub import PayPalStub
from tests.support.api import Api
from tests.support.billing import approve_at_paypal, balance, ledger


def test_a_capture_whose_webhook_was_dropped_is_credited_once_the_next_day(
    api: Api, paypal: PayPalStub
) -> None:
    from chalicelib.wiring.billing import get_wallet

    # Given a payment PayPal captured while our answer and its webhook were both lost
    ann = api.user()
    started = ann.call(
        "POST", "/api/billing/wallet/add-funds", {"amount": "35.00", "payment_method": "paypal"}
    )
    approve_at_paypal(paypal, started.body["approval_url"])
    order = paypal.capture(started.body["order_id"], "drop_webhook")
    capture_id = order["purchase_units"][0]["payments"]["captures"][0]["id"]
    assert paypal.outbox == type(paypal.outbox)() and balance(ann) == "0.00"
    # And a top-up in our ledger that PayPal never heard of
    bob = api.user("Bob")
    get_wallet().post(
        bob.org_id,
        [
            Posting(
                key="paypal-capture:NOTATPAYPAL1",
                kind="topup",
                amount_cents=999,
                description="Wallet top-up (PayPal)",
                created_by="system",
                reference="NOTATPAYPAL1",
                day=datetime.now(UTC).strftime("%Y-%m-%d"),
            )
        ],
    )
    admin = api.admin()
    day = datetime.now(UTC).strftime("%Y-%m-%d")
    # When the day is reconciled (the schedule does yesterday; an operator can name the day)
    first = admin.call("POST", "/api/admin/billing/reconciliations", {"day": day})
    # Then the missing capture is credited once, and the unknown credit is reported but left alone
    assert first.status == 201, first.body
    findings = {(f["capture_id"], f["action"]) for f in first.body["findings"]}
    assert findings == {(capture_id, "credited"), ("NOTATPAYPAL1", "unknown_to_paypal")}
    assert first.body["paypal_captures"] == 1 and first.body["ledger_topups"] == 1
    assert balance(ann) == "35.00" and balance(bob) == "9.99"
    # When it is reconciled again
    second = admin.call("POST", "/api/admin/billing/reconciliations", {"day": day})
    # Then nothing more is credited: the capture now matches
    assert second.body["matched"] == 1
    assert {f["action"] for f in second.body["findings"]} == {"unknown_to_paypal"}
    assert balance(ann) == "35.00" and [e["type"] for e in ledger(ann)] == ["topup"]
    # And the operators see both reports, newest first; customers cannot
    reports = admin.call("GET", "/api/admin/billing/reconciliations").body["reconciliations"]
    assert [r["id"] for r in reports[:2]] == [second.body["id"], first.body["id"]]
    assert ann.call("GET", "/api/admin/billing/reconciliations").status == 403
    # And a late capture call from the client still answers the same capture, with no second credit
    late = ann.call("POST", f"/api/billing/wallet/add-funds/{started.body['order_id']}/capture")
    assert late.status == 200 and late.body["transaction_id"] == capture_id and balance(ann) == "35.00"


def test_a_refund_whose_webhook_was_dropped_is_debited_once_the_next_day(
    api: Api, paypal: PayPalStub
) -> None:
    # Given a top-up that arrived, then a refund PayPal made whose webhook was lost
    ann = api.user()
    started = ann.call(
        "POST", "/api/billing/wallet/add-funds", {"amount": "40.00", "payment_method": "paypal"}
    )
    approve_at_paypal(paypal, started.body["approval_url"])
    captured = ann.call("POST", f"/api/billing/wallet/add-funds/{started.body['order_id']}/capture")
    assert captured.status == 200 and balance(ann) == "40.00"
    paypal.deliver_pending()  # the capture's webhook repeats the client's capture: no second credit
    refund = paypal.refund(
        captured.body["transaction_id"],
        {"amount": {"currency_code": "USD", "value": "15.00"}},
        "drop_webhook",
    )
    assert balance(ann) == "40.00"
    admin = api.admin()
    day = datetime.now(UTC).strftime("%Y-%m-%d")
    # When the day is reconciled
    first = admin.call("POST", "/api/admin/billing/reconciliations", {"day": day})
    # Then the refund is debited once and reported, and the capture matches
    assert first.status == 201, first.body
    assert [(f["kind"], f["capture_id"], f["action"], f["amount"]) for f in first.body["findings"]] == [
        ("refund", refund["id"], "debited", "-15.00")
    ]
    assert first.body["paypal_refunds"] == 1 and first.body["matched"] == 1
    assert balance(ann) == "25.00"
    # When it is reconciled again, nothing more moves
    second = admin.call("POST", "/api/admin/billing/reconciliations", {"day": day})
    assert (
        second.body["findings"] == [] and second.body["matched"] == 2 and second.body["ledger_refunds"] == 1
    )
    assert balance(ann) == "25.00" and sorted(e["type"] for e in ledger(ann)) == ["refund", "topup"]
