"""Notifications and webhooks in a real browser: web/e2e/notifications.spec.ts drives Debian's Chromium
against `python -m devstack` (endpoints may point at 127.0.0.1 there), with a webhook receiver on 127.0.0.1
started here; afterwards the deliveries it got are checked against the secret the page showed."""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
from pathlib import Path

import pytest
import requests

from tests.e2e.test_web import (
    ADMIN_EMAIL,
    ADMIN_PASSWORD,
    PLAYWRIGHT_TIMEOUT,
    _host_ids,
    _missing,
    _run_playwright,
)
from tests.e2e.test_web import _remove_engine_containers as remove_engine_containers
from tests.support.devstack_process import running_devstack
from tests.support.webhooks import start_receiver

pytestmark = [pytest.mark.e2e, pytest.mark.docker, pytest.mark.browser]

SPEC = "e2e/notifications.spec.ts"


def _run_spec(url: str, receiver_url: str, secret_file: Path) -> int:
    env = {"CS_WEBHOOK_RECEIVER_URL": receiver_url, "CS_WEBHOOK_SECRET_FILE": str(secret_file)}
    return _run_playwright(url, [SPEC], env)


def _verifies(secret: str, header: str, body: bytes) -> bool:
    parts = dict(item.split("=", 1) for item in header.split(","))
    expected = hmac.new(secret.encode(), parts["t"].encode() + b"." + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, parts["v1"])


@pytest.mark.timeout(PLAYWRIGHT_TIMEOUT + 180)
def test_notifications_and_webhooks_in_a_real_browser(tmp_path: Path) -> None:
    # Given the built web app, a receiver on 127.0.0.1 and the local stack letting endpoints point at it
    missing = _missing()
    assert not missing, "the browser tests need: " + ", ".join(missing) + " (or run `make test`)"
    receiver = start_receiver()
    secret_file = tmp_path / "webhook-secret"
    try:
        with running_devstack(
            tmp_path / "data", ADMIN_EMAIL, ADMIN_PASSWORD, extra_env={"CS_WEBHOOKS_ALLOW_LOOPBACK": "1"}
        ) as stack:
            try:
                # When the browser test runs against it
                status = _run_spec(stack.url, receiver.url("/hooks"), secret_file)
            finally:
                with contextlib.suppress(requests.RequestException):
                    remove_engine_containers(_host_ids(stack.url))
    finally:
        receiver.server.shutdown()
        receiver.server.server_close()
    # Then it passed
    assert status == 0, "Playwright failed; failure screenshots are under web/test-results/playwright/"
    # And the receiver got the test event and the failure, each signed with the secret the page showed once
    secret = secret_file.read_text().strip()
    events = {json.loads(r.body)["type"]: r for r in receiver.received}
    assert {"webhook.ping", "container.failed"} <= set(events)
    for got in receiver.received:
        assert _verifies(secret, got.headers["X-ContainerStacks-Signature"], got.body)
    failed = json.loads(events["container.failed"].body)
    assert failed["data"]["name"] == "doomed" and failed["resource"]["type"] == "container"
