"""Billing test support: one lock around moto's DynamoDB, the PayPal sandbox stub, and money helpers.

moto's DynamoDB backend is not thread-safe for concurrent transactions (a cancelled TransactWriteItems puts
back a copy of the table, wiping what concurrent writers did meanwhile), so concurrency tests run every moto
DynamoDB request under one re-entrant lock, as the local stack does. And moto deep-copies every table a
transaction touches before running it (to roll back), which makes hundreds of contended transactions on a
table of thousands of items take many minutes: here a transaction's conditions are checked first, against
the state before it (as DynamoDB does), so a cancelled one never writes and a passing one needs no backup.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest

from devstack import environment
from devstack.paypal_http import PayPalServer
from devstack.paypal_stub import PayPalStub
from tests.support.api import Api, User

MOTO_DYNAMODB_LOCK = threading.RLock()
_MARK = "_billing_tests_serialised"


def serialise_moto_dynamodb() -> None:
    """Run every moto DynamoDB request under MOTO_DYNAMODB_LOCK (idempotent)."""
    from moto.dynamodb.responses import DynamoHandler

    original = DynamoHandler.call_action
    if getattr(original, _MARK, False):
        return

    def call_action(self: Any) -> Any:
        with MOTO_DYNAMODB_LOCK:
            return original(self)

    setattr(call_action, _MARK, True)
    DynamoHandler.call_action = call_action  # type: ignore[method-assign]
    _check_transactions_first()


def _check_transactions_first() -> None:
    import copy

    import moto.dynamodb.models as models
    from moto.dynamodb.comparisons import get_filter_expression
    from moto.dynamodb.exceptions import TransactionCanceledException
    from moto.dynamodb.models.table import Table

    original = models.DynamoDBBackend.transact_write_items

    class _TablesUncopied:
        """moto's `copy` module, except that tables are not deep-copied (their conditions passed already)."""

        @staticmethod
        def deepcopy(value: Any) -> Any:
            return value if isinstance(value, Table) else copy.deepcopy(value)

    def transact_write_items(self: Any, transact_items: list[dict[str, Any]]) -> None:
        errors: list[tuple[str | None, str | None, None]] = []
        for entry in transact_items:
            op_type, op = next(iter(entry.items()))
            table = self.get_table(op["TableName"])
            if op_type == "Put":
                key = {table.hash_key_attr: op["Item"][table.hash_key_attr]}
                if table.range_key_attr is not None:
                    key[table.range_key_attr] = op["Item"][table.range_key_attr]
            else:
                key = op["Key"]
            expression = op.get("ConditionExpression")
            passed = expression is None or get_filter_expression(
                expression, op.get("ExpressionAttributeNames"), op.get("ExpressionAttributeValues")
            ).expr(self.get_item(op["TableName"], key))
            errors.append(
                (None, None, None)
                if passed
                else ("ConditionalCheckFailed", "The conditional request failed", None)
            )
        if any(code for code, _, _ in errors):
            raise TransactionCanceledException(errors)
        setattr(models, "copy", _TablesUncopied)  # noqa: B010 - moto's module global, swapped under the lock
        try:
            original(self, transact_items)
        finally:
            setattr(models, "copy", copy)  # noqa: B010

    models.DynamoDBBackend.transact_write_items = transact_write_items  # type: ignore[method-assign]


@pytest.fixture(scope="session")
def paypal_server() -> Iterator[PayPalServer]:
    """The PayPal sandbox stub on a free port; the app's PayPal base URL points at it."""
    server = PayPalServer()
    server.start()
    try:
        with pytest.MonkeyPatch.context() as patch:
            for name, value in {"CS_PAYPAL_BASE_URL": server.url, "CS_PAYPAL_TIMEOUT_SECONDS": "2"}.items():
                patch.setenv(name, value)
            environment.refresh_app_config()
            yield server
        environment.refresh_app_config()
    finally:
        server.stop()


@pytest.fixture
def paypal(paypal_server: PayPalServer, api: Api) -> Iterator[PayPalStub]:
    """A fresh stub whose webhooks are delivered to the in-process API when a test calls deliver_pending()."""
    from chalicelib import wiring

    stub = paypal_server.stub
    stub.reset()

    def sink(headers: dict[str, str], body: bytes) -> int:
        return api.call("POST", "/api/webhooks/paypal", headers=headers, raw=body).status

    stub.sink = sink
    wiring.reset()
    yield stub
    stub.reset()


def approve_at_paypal(stub: PayPalStub, approval_url: str) -> None:
    """What the payer does on the approval page: open it and click Approve (its form posts the token)."""
    import urllib.parse

    import requests

    page = requests.get(approval_url, timeout=5)
    assert page.status_code == 200 and 'id="approve"' in page.text and "SANDBOX" in page.text
    token = urllib.parse.parse_qs(urllib.parse.urlparse(approval_url).query)["token"][0]
    clicked = requests.post(
        f"{stub.base_url}/checkoutnow/approve", data={"token": token}, allow_redirects=False, timeout=5
    )
    assert clicked.status_code in (200, 303), clicked.text


def top_up(user: User, stub: PayPalStub, amount: str = "50.00") -> dict[str, Any]:
    """Add funds through PayPal as a person would: add-funds, approve on the page, capture."""
    started = user.call(
        "POST", "/api/billing/wallet/add-funds", {"amount": amount, "payment_method": "paypal"}
    )
    assert started.status == 200, started.body
    approve_at_paypal(stub, started.body["approval_url"])
    captured = user.call("POST", f"/api/billing/wallet/add-funds/{started.body['order_id']}/capture")
    assert captured.status == 200, captured.body
    return dict(captured.body)


def balance(user: User) -> str:
    reply = user.call("GET", "/api/billing/wallet")
    assert reply.status == 200, reply.body
    return str(reply.body["balance"])


def ledger(user: User) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = []
    cursor = ""
    while True:
        reply = user.call("GET", f"/api/billing/transactions?limit=100{cursor}")
        assert reply.status == 200, reply.body
        entries += reply.body["transactions"]
        if not reply.body["next_cursor"]:
            return entries
        cursor = f"&cursor={reply.body['next_cursor']}"
