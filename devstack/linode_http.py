"""The Linode sandbox stub over HTTP on 127.0.0.1: Linode's API v4 routes under /v4 (Bearer tokens; types and
regions are public as at Linode) and the sandbox's own controls under /__control (no token: loopback only).

Controls (JSON bodies):
  POST   /__control/reset                                  forget instances, events, tags, faults, requests
  POST   /__control/faults {"operation", "fault", "count", "retry_after"}
         operation: create, list, get, delete, boot, shutdown, reboot, ips, types, type, regions, region,
         tags, events, profile, account, or any; fault: 500, 503, 429 (with Retry-After), timeout (the
         operation is done, the answer comes after `timeout_seconds`), never_running (create only)
  DELETE /__control/faults                                 drop every pending fault
  POST   /__control/config {"boot_seconds", "timeout_seconds"}
  POST   /__control/tokens {"token"}                       accept one more API key
  POST   /__control/instances/{id}/{action}                a change made at Linode: shutdown, boot, reboot,
                                                           delete, migrate (recorded as events, no username)
  GET    /__control/requests                               the last 1000 API requests (method, path, status)
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

from devstack.linode_query import QueryError, page_params, paginate, parse_filter, select
from devstack.linode_shapes import StubError, account, not_found, profile
from devstack.linode_stub import LinodeStub
from devstack.net import LOOPBACK

_ID = r"(?P<id>[^/]+)"
# (method, path, operation, public: answered without a token, as Linode answers types and regions)
ROUTES: list[tuple[str, re.Pattern[str], str, bool]] = [
    ("GET", re.compile(r"^/v4/linode/types$"), "types", True),
    ("GET", re.compile(rf"^/v4/linode/types/{_ID}$"), "type", True),
    ("GET", re.compile(r"^/v4/regions$"), "regions", True),
    ("GET", re.compile(rf"^/v4/regions/{_ID}$"), "region", True),
    ("GET", re.compile(r"^/v4/linode/instances$"), "list", False),
    ("POST", re.compile(r"^/v4/linode/instances$"), "create", False),
    ("GET", re.compile(rf"^/v4/linode/instances/{_ID}$"), "get", False),
    ("DELETE", re.compile(rf"^/v4/linode/instances/{_ID}$"), "delete", False),
    ("POST", re.compile(rf"^/v4/linode/instances/{_ID}/boot$"), "boot", False),
    ("POST", re.compile(rf"^/v4/linode/instances/{_ID}/shutdown$"), "shutdown", False),
    ("POST", re.compile(rf"^/v4/linode/instances/{_ID}/reboot$"), "reboot", False),
    ("GET", re.compile(rf"^/v4/linode/instances/{_ID}/ips$"), "ips", False),
    ("GET", re.compile(r"^/v4/tags$"), "tags", False),
    ("GET", re.compile(r"^/v4/account/events$"), "events", False),
    ("GET", re.compile(r"^/v4/profile$"), "profile", False),
    ("GET", re.compile(r"^/v4/account$"), "account", False),
]
_OUTSIDE = re.compile(rf"^/__control/instances/{_ID}/(?P<action>[a-z]+)$")


class LinodeServer:
    """Serves a LinodeStub on 127.0.0.1:`port` (0: a free port). `api_url` is the SDK's base_url."""

    def __init__(self, stub: LinodeStub | None = None, port: int = 0) -> None:
        self.stub = stub or LinodeStub()
        self._stopped = threading.Event()
        self._server = ThreadingHTTPServer((LOOPBACK, port), _handler(self.stub, self._stopped.wait))
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self._server.server_address[1]}"

    @property
    def api_url(self) -> str:
        """What CS_LINODE_BASE_URL is set to (LinodeClient's base_url, like https://api.linode.com/v4)."""
        return f"{self.url}/v4"

    def start(self) -> None:
        self._thread = threading.Thread(target=self._server.serve_forever, name="linode-stub", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stopped.set()  # wakes answers held back by a `timeout` fault
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)


def _linode_id(raw: str) -> int:
    if not (raw.isascii() and raw.isdigit()):
        raise not_found()
    return int(raw)


def _listing(items: list[dict[str, Any]], query: dict[str, list[str]], header: str | None) -> dict[str, Any]:
    page, size = page_params(query)
    return paginate(select(items, parse_filter(header)), page, size)


def run(stub: LinodeStub, operation: str, ids: dict[str, str], body: Any, query: Any, xf: str | None) -> Any:
    """One API operation's answer body (200); StubError and QueryError for Linode's error answers."""
    if operation == "types":
        return _listing(stub.types, query, xf)
    if operation == "type":
        return stub.type_json(ids["id"])
    if operation == "regions":
        return _listing(stub.regions, query, xf)
    if operation == "region":
        found = next((r for r in stub.regions if r["id"] == ids["id"]), None)
        if found is None:
            raise not_found()
        return found
    if operation == "list":
        return _listing(stub.instances(), query, xf)
    if operation == "get":
        return stub.get(_linode_id(ids["id"]))
    if operation == "delete":
        stub.delete(_linode_id(ids["id"]))
        return {}
    if operation in ("boot", "shutdown", "reboot"):
        stub.act(_linode_id(ids["id"]), operation)
        return {}
    if operation == "ips":
        return stub.ips(_linode_id(ids["id"]))
    if operation == "tags":
        return _listing(stub.tag_list(), query, xf)
    if operation == "events":
        return _listing(stub.event_list(), query, xf)
    return profile() if operation == "profile" else account()


def _handler(stub: LinodeStub, wait: Callable[[float], bool]) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            return

        def do_GET(self) -> None:
            self._dispatch("GET")

        def do_POST(self) -> None:
            self._dispatch("POST")

        def do_PUT(self) -> None:
            self._dispatch("PUT")

        def do_DELETE(self) -> None:
            self._dispatch("DELETE")

        def _dispatch(self, method: str) -> int:
            url = urlparse(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            try:
                body = json.loads(raw) if raw.strip() else None
            except ValueError:
                return self._json(400, {"errors": [{"reason": "Invalid JSON"}]})
            if url.path.startswith("/__control/"):
                return self._control(method, url.path, body)
            allowed = [r for r in ROUTES if r[1].match(url.path)]
            route = next((r for r in allowed if r[0] == method), None)
            if route is None:
                status, reason = (405, "Method Not Allowed") if allowed else (404, "Not found")
                return self._json(status, {"errors": [{"reason": reason}]})
            _, pattern, operation, public = route
            match = pattern.match(url.path)
            assert match is not None
            status = self._api(operation, public, match.groupdict(), body, parse_qs(url.query))
            with stub.lock:
                stub.requests.append(
                    {"method": method, "path": url.path, "operation": operation, "status": status}
                )
            return status

        def _api(self, operation: str, public: bool, ids: dict[str, str], body: Any, query: Any) -> int:
            authorization = self.headers.get("Authorization")
            token = (authorization or "").removeprefix("Bearer ").strip()
            if (authorization is not None or not public) and token not in stub.tokens:
                return self._json(401, {"errors": [{"reason": "Invalid Token"}]})
            fault = stub.fault(operation)
            if fault is not None and fault.kind in ("500", "503"):
                reason = "Internal Server Error" if fault.kind == "500" else "Service Unavailable"
                return self._json(int(fault.kind), {"errors": [{"reason": reason}]})
            if fault is not None and fault.kind == "429":
                headers = {"Retry-After": str(fault.retry_after)}
                return self._json(429, {"errors": [{"reason": "Too Many Requests"}]}, headers)
            try:
                if operation == "create":
                    status, answer = 200, stub.create(body, fault)
                else:
                    status, answer = 200, run(stub, operation, ids, body, query, self.headers.get("X-Filter"))
            except StubError as exc:
                status, answer = exc.status, exc.body
            except QueryError as exc:
                status, answer = 400, StubError(400, exc.reason, exc.field).body
            if fault is not None and fault.kind == "timeout":
                wait(stub.timeout_seconds)  # done at Linode, but the caller gave up waiting
            return self._json(status, answer)

        def _control(self, method: str, path: str, body: Any) -> int:
            given = body if isinstance(body, dict) else {}
            try:
                if (method, path) == ("POST", "/__control/reset"):
                    stub.reset()
                elif (method, path) == ("POST", "/__control/faults"):
                    stub.inject(
                        str(given.get("operation", "")),
                        str(given.get("fault", "")),
                        int(given.get("count", 1)),
                        int(given.get("retry_after", 1)),
                    )
                elif (method, path) == ("DELETE", "/__control/faults"):
                    stub.clear_faults()
                elif (method, path) == ("POST", "/__control/config"):
                    stub.configure(given.get("boot_seconds"), given.get("timeout_seconds"))
                elif (method, path) == ("POST", "/__control/tokens") and given.get("token"):
                    with stub.lock:
                        stub.tokens.add(str(given["token"]))
                elif (method, path) == ("GET", "/__control/requests"):
                    with stub.lock:
                        return self._json(200, {"data": list(stub.requests)})
                elif method == "POST" and (match := _OUTSIDE.match(path)):
                    stub.outside(_linode_id(match["id"]), match["action"])
                else:
                    return self._json(404, {"errors": [{"reason": "No such control"}]})
            except StubError as exc:
                return self._json(exc.status, exc.body)
            except (TypeError, ValueError) as exc:
                return self._json(400, {"errors": [{"reason": str(exc)}]})
            return self._json(200, {})

        def _json(self, status: int, body: Any, headers: dict[str, str] | None = None) -> int:
            payload = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(payload)
            return status

    return Handler
