"""The PayPal sandbox stub over HTTP on 127.0.0.1: PayPal's REST routes, the approval page a person clicks,
and webhook delivery to the local API (a background thread when `auto_deliver`)."""

from __future__ import annotations

import base64
import html
import json
import re
import threading
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

from devstack.net import LOOPBACK
from devstack.paypal_stub import CLIENT_ID, CLIENT_SECRET, Exchange, PayPalStub, StubError, not_found, slow

ROUTES: list[tuple[str, re.Pattern[str], str]] = [
    ("POST", re.compile(r"^/v2/checkout/orders$"), "create_order"),
    ("GET", re.compile(r"^/v2/checkout/orders/(?P<id>[^/]+)$"), "get_order"),
    ("POST", re.compile(r"^/v2/checkout/orders/(?P<id>[^/]+)/capture$"), "capture"),
    ("GET", re.compile(r"^/v2/payments/captures/(?P<id>[^/]+)$"), "get_capture"),
    ("POST", re.compile(r"^/v2/payments/captures/(?P<id>[^/]+)/refund$"), "refund"),
    ("POST", re.compile(r"^/v3/vault/setup-tokens$"), "create_setup_token"),
    ("POST", re.compile(r"^/v3/vault/payment-tokens$"), "create_payment_token"),
    ("DELETE", re.compile(r"^/v3/vault/payment-tokens/(?P<id>[^/]+)$"), "delete_payment_token"),
    ("POST", re.compile(r"^/v1/notifications/verify-webhook-signature$"), "verify"),
    ("GET", re.compile(r"^/v1/reporting/transactions$"), "search"),
]


class PayPalServer:
    """Serves a PayPalStub on 127.0.0.1:`port` (0: a free port)."""

    def __init__(self, stub: PayPalStub | None = None, port: int = 0, webhook_url: str | None = None) -> None:
        self.stub = stub or PayPalStub()
        self._server = ThreadingHTTPServer((LOOPBACK, port), _handler(self.stub))
        self._server.daemon_threads = True
        self.stub.base_url = f"http://{LOOPBACK}:{self._server.server_address[1]}"
        self._threads: list[threading.Thread] = []
        self._stopped = threading.Event()
        if webhook_url:
            self.stub.sink = lambda headers, body: post(webhook_url, headers, body)

    @property
    def url(self) -> str:
        return self.stub.base_url

    def start(self, auto_deliver: bool = False) -> None:
        """Serve; with `auto_deliver` a thread delivers webhook events as PayPal would (asynchronously)."""
        self._threads.append(
            threading.Thread(target=self._server.serve_forever, name="paypal-stub", daemon=True)
        )
        if auto_deliver:
            self._threads.append(
                threading.Thread(target=self._deliver_forever, name="paypal-webhooks", daemon=True)
            )
        for thread in self._threads:
            thread.start()

    def stop(self) -> None:
        self._stopped.set()
        self._server.shutdown()
        self._server.server_close()
        for thread in self._threads:
            thread.join(timeout=5)

    def _deliver_forever(self) -> None:
        while not self._stopped.wait(0.2):
            try:
                self.stub.deliver_pending()
            except OSError:
                continue  # the API is not up yet: PayPal retries too


def post(url: str, headers: dict[str, str], body: bytes) -> int:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310 - loopback
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


def _approval_page(stub: PayPalStub, token: str) -> str:
    order = stub.orders.get(token, {}).get("order")
    what = "Save your PayPal account for later payments"
    if order:
        amount = order["purchase_units"][0]["amount"]
        what = f"Pay {html.escape(amount['value'])} {html.escape(amount['currency_code'])} to ContainerStacks"
    safe = html.escape(token)
    return f"""<!doctype html><html><head><meta charset="utf-8"><title>PayPal sandbox</title>
<style>body{{font-family:sans-serif;max-width:32rem;margin:4rem auto}}
button{{font-size:1.1rem;margin:.5rem}}</style>
</head><body><p><strong>PayPal SANDBOX</strong> (local stub; no real money moves)</p><h1>{what}</h1>
<form method="post" action="/checkoutnow/approve"><input type="hidden" name="token" value="{safe}">
<button type="submit" id="approve">Approve</button></form>
<form method="post" action="/checkoutnow/cancel"><input type="hidden" name="token" value="{safe}">
<button type="submit" id="cancel">Cancel</button></form></body></html>"""


def _handler(stub: PayPalStub) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            return

        def do_GET(self) -> None:
            self._dispatch("GET")

        def do_POST(self) -> None:
            self._dispatch("POST")

        def do_DELETE(self) -> None:
            self._dispatch("DELETE")

        def _dispatch(self, method: str) -> None:
            url = urlparse(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            if url.path == "/v1/oauth2/token":
                return self._token()
            if url.path.startswith("/checkoutnow"):
                return self._page(method, url.path, url.query, raw)
            if url.path.startswith("/v1/notifications/certs/"):
                return self._send(200, stub.public_key_pem(), "application/x-pem-file")
            for route_method, pattern, operation in ROUTES:
                match = pattern.match(url.path)
                if match and route_method == method:
                    return self._api(operation, method, url.path, parse_qs(url.query), raw, match.groupdict())
            return self._json(404, {"name": "RESOURCE_NOT_FOUND", "message": "No such route in the sandbox."})

        def _token(self) -> None:
            expected = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
            if self.headers.get("Authorization") != f"Basic {expected}":
                return self._json(
                    401, {"error": "invalid_client", "error_description": "Client Authentication failed"}
                )
            return self._json(200, stub.issue_token())

        def _api(
            self,
            operation: str,
            method: str,
            path: str,
            query: dict[str, list[str]],
            raw: bytes,
            ids: dict[str, str],
        ) -> None:
            token = (self.headers.get("Authorization") or "").removeprefix("Bearer ")
            if token not in stub.tokens:
                return self._json(
                    401, {"name": "AUTHENTICATION_FAILURE", "message": "Authentication failed."}
                )
            body = json.loads(raw) if raw.strip() else {}
            request_id = self.headers.get("PayPal-Request-Id")
            with stub.lock:
                replayed = stub.replay(request_id, path)
            if replayed is not None:
                return self._json(*replayed)
            failure = stub.failure(operation)
            if failure == "500":
                return self._record(
                    method,
                    path,
                    body,
                    500,
                    {"name": "INTERNAL_SERVER_ERROR", "message": "Sandbox failure (injected)."},
                )
            try:
                status, result = self._run(operation, body, query, ids, failure)
            except StubError as exc:
                status, result = exc.status, exc.body
            with stub.lock:
                stub.remember(
                    request_id if status < 300 else None, path, status, result
                )  # only successes replay
            if failure == "timeout":
                slow(stub.timeout_seconds)  # done at PayPal, but the caller gave up waiting
            self._record(method, path, body, status, result)

        def _run(
            self,
            operation: str,
            body: Any,
            query: dict[str, list[str]],
            ids: dict[str, str],
            failure: str | None,
        ) -> tuple[int, Any]:
            one = {k: v[0] for k, v in query.items()}
            if operation == "create_order":
                order = stub.create_order(body)
                return (201, order)
            if operation == "get_order":
                return 200, stub.get_order(ids["id"])
            if operation == "capture":
                return 201, stub.capture(ids["id"], failure)
            if operation == "get_capture":
                capture = stub.captures.get(ids["id"])
                if capture is None:
                    raise not_found()
                return 200, capture
            if operation == "refund":
                return 201, stub.refund(ids["id"], body, failure)
            if operation == "create_setup_token":
                return 201, stub.create_setup_token(body)
            if operation == "create_payment_token":
                return 201, stub.create_payment_token(body)
            if operation == "delete_payment_token":
                stub.delete_payment_token(ids["id"])
                return 204, None
            if operation == "verify":
                return 200, stub.verify(body)
            return 200, stub.search(one.get("start_date", ""), one.get("end_date", "~"))

        def _record(self, method: str, path: str, request: Any, status: int, response: Any) -> None:
            with stub.lock:
                stub.exchanges.append(Exchange(method, path, request, status, response))
            self._json(status, response)

        def _page(self, method: str, path: str, query: str, raw: bytes) -> None:
            if method == "GET":
                token = parse_qs(query).get("token", [""])[0]
                return self._send(200, _approval_page(stub, token).encode(), "text/html; charset=utf-8")
            token = parse_qs(raw.decode()).get("token", [""])[0]
            try:
                target = stub.approve(token) if path.endswith("/approve") else stub.cancel(token)
            except StubError as exc:
                return self._json(exc.status, exc.body)
            if target:
                sep = "&" if "?" in target else "?"
                self.send_response(303)
                self.send_header("Location", f"{target}{sep}token={token}")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return None
            done = "approved" if path.endswith("/approve") else "cancelled"
            return self._send(200, f"<p>Payment {done}. You can close this page.</p>".encode(), "text/html")

        def _json(self, status: int, body: Any) -> None:
            self._send(status, b"" if body is None else json.dumps(body).encode(), "application/json")

        def _send(self, status: int, payload: bytes, content_type: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            if payload:
                self.wfile.write(payload)

    return Handler
