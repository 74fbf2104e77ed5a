"""A webhook receiver on 127.0.0.1 that records what it got and answers what the test scripts, and the
fixtures that let webhook endpoints point at it (CS_WEBHOOKS_ALLOW_LOOPBACK: the test stage honours it)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest


@dataclass(frozen=True)
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    """Answers the scripted statuses in turn (then `default`); a 3xx carries `Location: redirect_to`."""

    server: ThreadingHTTPServer
    received: list[Received] = field(default_factory=list)
    script: list[int] = field(default_factory=list)
    default: int = 200
    redirect_to: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def port(self) -> int:
        return int(self.server.server_address[1])

    def url(self, path: str = "/hooks") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def answer(self) -> int:
        with self.lock:
            return self.script.pop(0) if self.script else self.default

    def wait_for(self, count: int, timeout: float = 30.0) -> list[Received]:
        """Poll until `count` requests arrived (a client waiting, not a timing assertion)."""
        deadline = time.monotonic() + timeout
        while len(self.received) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"the receiver got {len(self.received)} request(s), not {count}")
            time.sleep(0.05)
        return list(self.received)


def start_receiver() -> Receiver:
    holder: list[Receiver] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            receiver = holder[0]
            with receiver.lock:
                receiver.received.append(Received(self.path, {k: v for k, v in self.headers.items()}, body))
            status = receiver.answer()
            self.send_response(status)
            if 300 <= status < 400 and receiver.redirect_to:
                self.send_header("Location", receiver.redirect_to)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, format: str, *args: Any) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    receiver = Receiver(server)
    holder.append(receiver)
    threading.Thread(target=server.serve_forever, name="webhook-receiver", daemon=True).start()
    return receiver


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """A receiver on 127.0.0.1, stopped after the test."""
    started = start_receiver()
    try:
        yield started
    finally:
        started.server.shutdown()
        started.server.server_close()


@pytest.fixture
def loopback_webhooks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Webhook endpoints may point at 127.0.0.1 (request it before `api`, which builds the services)."""
    from chalicelib import wiring

    monkeypatch.setenv("CS_WEBHOOKS_ALLOW_LOOPBACK", "1")
    wiring.reset()
