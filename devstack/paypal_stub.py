"""PayPal sandbox stub (SANDBOX, not PayPal): the state and operations behind devstack.paypal_http.

It answers in the shapes of PayPal's published documents (../shared/vendor/paypal/: Orders v2, Payments v2,
Vault v3, Webhooks v1, Transaction Search v1; a contract test validates every exchange against them), keeps
PayPal-Request-Id replays idempotent, signs webhook events with an RSA key (verify-webhook-signature checks
them), and takes injected failures: a 500, a slow answer (timeout), a declined capture, a webhook delivered
twice or dropped.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from devstack.paypal_signing import PAYER_ID, WebhookSigner, canonical, transaction_search

WEBHOOK_ID = "WHLOCALSANDBOX"
UNPROCESSABLE = (
    "The requested action could not be performed, semantically incorrect, or failed business validation."
)
NOT_FOUND = "The specified resource does not exist."
# The issue descriptions PayPal documents (checkout_orders_v2.json, orders.capture-422)
ISSUES = {
    "ORDER_NOT_APPROVED": (
        "Payer has not yet approved the Order for payment. Please redirect the payer to the 'rel':'approve' "
        "url returned as part of the HATEOAS links within the Create Order call or provide a valid "
        "`payment_source` in the request."
    ),
    "ORDER_ALREADY_CAPTURED": (
        "Order already captured.If 'intent=CAPTURE' only one capture per order is allowed."
    ),
    "INSTRUMENT_DECLINED": (
        "The instrument presented  was either declined by the processor or bank, "
        "or it can't be used for this payment."
    ),
}
CLIENT_ID, CLIENT_SECRET = "sandbox-client", "sandbox-secret"
FAILURES = ("500", "timeout", "declined", "duplicate_webhook", "drop_webhook")
Sink = Callable[[dict[str, str], bytes], int]


def now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def new_id(length: int = 17) -> str:
    alphabet = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"
    return "".join(secrets.choice(alphabet) for _ in range(length))


class StubError(Exception):
    """An error answer in PayPal's error shape."""

    def __init__(self, status: int, name: str, message: str, issue: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.body: dict[str, Any] = {"name": name, "message": message, "debug_id": new_id(13)}
        if issue:
            self.body["details"] = [{"issue": issue, "description": ISSUES.get(issue, message)}]


def unprocessable(issue: str) -> StubError:
    return StubError(422, "UNPROCESSABLE_ENTITY", UNPROCESSABLE, issue)


def not_found() -> StubError:
    return StubError(404, "RESOURCE_NOT_FOUND", NOT_FOUND, "INVALID_RESOURCE_ID")


@dataclass
class Exchange:
    """One request the stub answered (the contract test validates both sides)."""

    method: str
    path: str
    request: Any
    status: int
    response: Any


@dataclass
class PayPalStub:
    """In-memory PayPal. `base_url` is set by the HTTP server; `sink` receives webhook deliveries."""

    base_url: str = "http://127.0.0.1"
    sink: Sink | None = None
    timeout_seconds: float = 3.0
    orders: dict[str, dict[str, Any]] = field(default_factory=dict)
    captures: dict[str, dict[str, Any]] = field(default_factory=dict)
    refunds: dict[str, dict[str, Any]] = field(default_factory=dict)
    setup_tokens: dict[str, dict[str, Any]] = field(default_factory=dict)
    payment_tokens: dict[str, dict[str, Any]] = field(default_factory=dict)
    exchanges: list[Exchange] = field(default_factory=list)
    outbox: deque[tuple[dict[str, str], bytes]] = field(default_factory=deque)
    delivered: list[dict[str, Any]] = field(default_factory=list)
    tokens: set[str] = field(default_factory=set)
    _failures: dict[str, deque[str]] = field(default_factory=dict)
    _replies: dict[tuple[str, str], tuple[int, Any]] = field(default_factory=dict)
    lock: threading.RLock = field(default_factory=threading.RLock)

    def __post_init__(self) -> None:
        self._signer = WebhookSigner()

    # ------------------------------------------------------------ test and operator controls
    def reset(self) -> None:
        """Forget every order, capture, token, event, recorded exchange and injected failure."""
        with self.lock:
            for store in (self.orders, self.captures, self.refunds, self.setup_tokens, self.payment_tokens):
                store.clear()
            self.exchanges.clear()
            self.outbox.clear()
            self.delivered.clear()
            self._failures.clear()
            self._replies.clear()

    def inject(self, operation: str, failure: str, times: int = 1) -> None:
        """The next `times` calls of `operation` (create_order, capture, refund, verify, search) fail."""
        if failure not in FAILURES:
            raise ValueError(f"unknown failure {failure!r}; one of {FAILURES}")
        with self.lock:
            self._failures.setdefault(operation, deque()).extend([failure] * times)

    def failure(self, operation: str) -> str | None:
        with self.lock:
            queue = self._failures.get(operation)
            return queue.popleft() if queue else None

    def replay(self, request_id: str | None, path: str) -> tuple[int, Any] | None:
        return self._replies.get((path, request_id)) if request_id else None

    def remember(self, request_id: str | None, path: str, status: int, body: Any) -> None:
        if request_id:
            self._replies[(path, request_id)] = (status, body)

    def issue_token(self) -> dict[str, Any]:
        token = f"A21AA{secrets.token_urlsafe(32)}"
        self.tokens.add(token)
        return {
            "scope": "https://uri.paypal.com/services/payments/payment",
            "access_token": token,
            "token_type": "Bearer",
            "app_id": "APP-SANDBOX",
            "expires_in": 32400,
            "nonce": f"{now_iso()}{secrets.token_hex(8)}",
        }

    # ------------------------------------------------------------ Orders v2
    def create_order(self, body: dict[str, Any]) -> dict[str, Any]:
        unit = dict((body.get("purchase_units") or [{}])[0])
        source = (body.get("payment_source") or {}).get("paypal") or {}
        order_id = new_id()
        order: dict[str, Any] = {
            "id": order_id,
            "intent": body.get("intent", "CAPTURE"),
            "status": "PAYER_ACTION_REQUIRED",
            "purchase_units": [
                {k: v for k, v in unit.items() if k in ("reference_id", "description", "custom_id", "amount")}
            ],
            "create_time": now_iso(),
            "links": [
                {"href": f"{self.base_url}/v2/checkout/orders/{order_id}", "rel": "self", "method": "GET"},
                {
                    "href": f"{self.base_url}/checkoutnow?token={order_id}",
                    "rel": "payer-action",
                    "method": "GET",
                },
            ],
        }
        context = source.get("experience_context") or {}
        self.orders[order_id] = {
            "order": order,
            "return_url": context.get("return_url"),
            "cancel_url": context.get("cancel_url"),
        }
        if source.get("vault_id"):
            if source["vault_id"] not in self.payment_tokens:
                raise unprocessable("INVALID_RESOURCE_ID")
            order["payment_source"] = {"paypal": {"email_address": self._email(source["vault_id"])}}
            return self._complete(order_id)
        return order

    def approve(self, order_id: str) -> str | None:
        """The payer clicked Approve (on the approval page); the URL to send them back to."""
        with self.lock:
            if order_id in self.setup_tokens:
                self.setup_tokens[order_id]["status"] = "APPROVED"
                return self.setup_tokens[order_id].get("return_url")
            entry = self._order(order_id)
            entry["order"]["status"] = "APPROVED"
            entry["order"]["payment_source"] = {
                "paypal": {"email_address": "payer@example.com", "account_id": PAYER_ID}
            }
            return entry.get("return_url")

    def cancel(self, order_id: str) -> str | None:
        with self.lock:
            if order_id in self.setup_tokens:
                return self.setup_tokens[order_id].get("cancel_url")
            return self._order(order_id).get("cancel_url")

    def get_order(self, order_id: str) -> dict[str, Any]:
        order: dict[str, Any] = self._order(order_id)["order"]
        return order

    def capture(self, order_id: str, failure: str | None = None) -> dict[str, Any]:
        with self.lock:
            order = self._order(order_id)["order"]
            if order["status"] == "COMPLETED":
                raise unprocessable("ORDER_ALREADY_CAPTURED")
            if order["status"] != "APPROVED":
                raise unprocessable("ORDER_NOT_APPROVED")
            if failure == "declined":
                raise unprocessable("INSTRUMENT_DECLINED")
            return self._complete(order_id, webhook=failure)

    def _complete(self, order_id: str, webhook: str | None = None) -> dict[str, Any]:
        order: dict[str, Any] = self.orders[order_id]["order"]
        unit = order["purchase_units"][0]
        capture_id = new_id()
        capture = {
            "id": capture_id,
            "status": "COMPLETED",
            "amount": unit["amount"],
            "final_capture": True,
            "custom_id": unit.get("custom_id"),
            "supplementary_data": {"related_ids": {"order_id": order_id}},
            "create_time": now_iso(),
            "update_time": now_iso(),
            "links": [
                {
                    "href": f"{self.base_url}/v2/payments/captures/{capture_id}",
                    "rel": "self",
                    "method": "GET",
                },
                {"href": f"{self.base_url}/v2/checkout/orders/{order_id}", "rel": "up", "method": "GET"},
            ],
        }
        self.captures[capture_id] = capture
        order["status"] = "COMPLETED"
        order["update_time"] = now_iso()
        unit["payments"] = {"captures": [capture]}
        self._emit("PAYMENT.CAPTURE.COMPLETED", "capture", capture, webhook)
        return order

    def _order(self, order_id: str) -> dict[str, Any]:
        if order_id not in self.orders:
            raise not_found()
        return self.orders[order_id]

    # ------------------------------------------------------------ Payments v2
    def refund(self, capture_id: str, body: dict[str, Any], failure: str | None = None) -> dict[str, Any]:
        with self.lock:
            capture = self.captures.get(capture_id)
            if capture is None:
                raise not_found()
            amount = body.get("amount") or capture["amount"]
            refund_id = new_id()
            refund = {
                "id": refund_id,
                "status": "COMPLETED",
                "amount": amount,
                "custom_id": capture.get("custom_id"),
                "create_time": now_iso(),
                "update_time": now_iso(),
                "links": [
                    {
                        "href": f"{self.base_url}/v2/payments/refunds/{refund_id}",
                        "rel": "self",
                        "method": "GET",
                    },
                    {
                        "href": f"{self.base_url}/v2/payments/captures/{capture_id}",
                        "rel": "up",
                        "method": "GET",
                    },
                ],
            }
            self.refunds[refund_id] = refund
            full = Decimal(amount["value"]) >= Decimal(capture["amount"]["value"])
            capture["status"] = "REFUNDED" if full else "PARTIALLY_REFUNDED"
            self._emit("PAYMENT.CAPTURE.REFUNDED", "refund", refund, failure)
            return refund

    # ------------------------------------------------------------ Vault v3
    def create_setup_token(self, body: dict[str, Any]) -> dict[str, Any]:
        token_id = new_id(10)
        context = ((body.get("payment_source") or {}).get("paypal") or {}).get("experience_context") or {}
        self.setup_tokens[token_id] = {"status": "PAYER_ACTION_REQUIRED", **context}
        return {
            "id": token_id,
            "status": "PAYER_ACTION_REQUIRED",
            "payment_source": {"paypal": {}},
            "links": [
                {"href": f"{self.base_url}/checkoutnow?token={token_id}", "rel": "approve", "method": "GET"},
                {"href": f"{self.base_url}/v3/vault/setup-tokens/{token_id}", "rel": "self", "method": "GET"},
            ],
        }

    def create_payment_token(self, body: dict[str, Any]) -> dict[str, Any]:
        token = (body.get("payment_source") or {}).get("token") or {}
        setup = self.setup_tokens.get(str(token.get("id")))
        if setup is None or setup["status"] != "APPROVED":
            raise unprocessable("TOKEN_NOT_APPROVED")
        token_id = new_id(10)
        email = f"payer-{token_id.lower()}@example.com"
        self.payment_tokens[token_id] = {"email": email}
        return {
            "id": token_id,
            "customer": {"id": f"CUST{new_id(8)}"},
            "payment_source": {"paypal": {"email_address": email, "payer_id": PAYER_ID}},
            "links": [
                {
                    "href": f"{self.base_url}/v3/vault/payment-tokens/{token_id}",
                    "rel": "self",
                    "method": "GET",
                }
            ],
        }

    def delete_payment_token(self, token_id: str) -> None:
        self.payment_tokens.pop(token_id, None)

    def _email(self, token_id: str) -> str:
        return str(self.payment_tokens[token_id]["email"])

    # ------------------------------------------------------------ Webhooks v1
    def _emit(
        self, event_type: str, resource_type: str, resource: dict[str, Any], failure: str | None
    ) -> None:
        event = {
            "id": f"WH-{new_id()}",
            "create_time": now_iso(),
            "resource_type": resource_type,
            "event_type": event_type,
            "event_version": "1.0",
            "resource_version": "2.0",
            "summary": event_type.replace(".", " ").title(),
            "resource": json.loads(json.dumps(resource)),
            "links": [],
        }
        if failure == "drop_webhook":
            return
        body = canonical(event)
        headers = self.sign(body)
        self.delivered.append(event)
        for _ in range(2 if failure == "duplicate_webhook" else 1):
            self.outbox.append((headers, body))

    def sign(self, body: bytes, webhook_id: str = WEBHOOK_ID) -> dict[str, str]:
        return self._signer.sign(body, webhook_id, self.base_url)

    def verify(self, body: dict[str, Any]) -> dict[str, str]:
        return self._signer.verify(body, WEBHOOK_ID)

    def public_key_pem(self) -> bytes:
        return self._signer.public_key_pem()

    def deliver_pending(self) -> list[int]:
        """Deliver queued webhook events to the sink now (in this thread); their answers' status codes."""
        answered: list[int] = []
        while self.outbox:
            headers, body = self.outbox.popleft()
            if self.sink is not None:
                answered.append(self.sink(headers, body))
        return answered

    # ------------------------------------------------------------ Transaction Search v1
    def search(self, start: str, end: str) -> dict[str, Any]:
        with self.lock:
            captures, refunds = list(self.captures.values()), list(self.refunds.values())
        return transaction_search(captures, start, end, now_iso(), refunds)


def slow(seconds: float) -> None:
    time.sleep(seconds)
