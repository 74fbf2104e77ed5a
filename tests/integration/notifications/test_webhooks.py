"""Outbound webhooks over HTTP: signed deliveries to a receiver on 127.0.0.1, retries, the delivery log."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.support.api import Api, User
from tests.support.webhooks import Receiver, start_receiver


def add_webhook(user: User, url: str, events: list[str] | None = None) -> dict[str, Any]:
    reply = user.call(
        "POST", "/api/webhooks", {"url": url, "events": events or ["*"], "description": "tests"}
    )
    assert reply.status == 201, reply.body
    return dict(reply.body)


def delivery_log(user: User, webhook_id: str) -> list[dict[str, Any]]:
    reply = user.call("GET", f"/api/webhooks/{webhook_id}/deliveries")
    assert reply.status == 200, reply.body
    return list(reply.body["deliveries"])


def wait_for_attempts(user: User, webhook_id: str, attempts: int, timeout: float = 30.0) -> dict[str, Any]:
    """The newest delivery once it has been attempted `attempts` times (as a client polling the log)."""
    deadline = time.monotonic() + timeout
    while True:
        log = delivery_log(user, webhook_id)
        if log and log[0]["attempts"] >= attempts:
            return log[0]
        if time.monotonic() > deadline:
            pytest.fail(f"no delivery reached {attempts} attempt(s): {log}")
        time.sleep(0.1)


def expected_signature(secret: str, header: str, body: bytes) -> tuple[int, str, str]:
    """What a receiver computes: (timestamp, the v1 it got, the v1 it expects)."""
    parts = dict(item.split("=", 1) for item in header.split(","))
    timestamp = int(parts["t"])
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return timestamp, parts["v1"], mac


def test_a_receiver_gets_signed_deliveries_whose_signature_verifies(
    loopback_webhooks: None, api: Api, receiver: Receiver
) -> None:
    # Given an endpoint on a receiver started by the test, its secret shown once
    ann = api.user()
    created = add_webhook(ann, receiver.url())
    assert created["secret"].startswith("whsec_")
    listed = ann.call("GET", "/api/webhooks").body
    assert [w["id"] for w in listed["webhooks"]] == [created["id"]] and "secret" not in listed["webhooks"][0]

    # When a test event is sent
    sent = ann.call("POST", f"/api/webhooks/{created['id']}/test")
    assert sent.status == 202, sent.body
    [got] = receiver.wait_for(1)

    # Then the receiver got the event as JSON, signed with the endpoint's secret over "<t>.<body>"
    event = json.loads(got.body)
    assert got.headers["Content-Type"] == "application/json" and got.path == "/hooks"
    assert event["type"] == "webhook.ping" and event["organization_id"] == ann.org_id
    assert got.headers["X-ContainerStacks-Event"] == "webhook.ping"
    assert got.headers["X-ContainerStacks-Delivery"] == sent.body["id"]
    timestamp, sent_mac, wanted_mac = expected_signature(
        created["secret"], got.headers["X-ContainerStacks-Signature"], got.body
    )
    assert hmac.compare_digest(sent_mac, wanted_mac)
    assert abs(time.time() - timestamp) < 300
    # And the delivery log says it was delivered on the first attempt
    entry = wait_for_attempts(ann, created["id"], 1)
    assert (entry["status"], entry["status_code"], entry["attempts"]) == ("delivered", 200, 1)
    assert entry["event"] == "webhook.ping" and entry["event_id"] == event["id"]


def test_after_a_500_the_delivery_is_retried_later_and_succeeds_as_the_log_shows(
    loopback_webhooks: None, api: Api, receiver: Receiver
) -> None:
    from chalicelib.wiring.notifications import get_dispatcher

    # Given a receiver that answers 500 once, then 200
    ann = api.user()
    receiver.script = [500]
    created = add_webhook(ann, receiver.url())

    # When an event is sent, it fails and waits for its retry (a minute later by default)
    ann.call("POST", f"/api/webhooks/{created['id']}/test")
    first = wait_for_attempts(ann, created["id"], 1)
    assert (first["status"], first["status_code"], first["attempts"]) == ("pending", 500, 1)
    assert "500" in first["error"] and first["next_retry_at"] is not None
    retry_at = datetime.fromisoformat(first["next_retry_at"])
    assert retry_at > datetime.fromisoformat(first["history"][0]["at"])
    # (nothing is due before then)
    assert get_dispatcher().deliver_due()["delivered"] == 0

    # And when the scheduled run comes after the retry time
    outcome = get_dispatcher().deliver_due(at=retry_at + timedelta(seconds=1))

    # Then the same event (same body, newly signed) arrived again and the log shows both attempts
    assert outcome["delivered"] == 1
    one, two = receiver.wait_for(2)
    assert (
        one.body == two.body
        and one.headers["X-ContainerStacks-Delivery"] == two.headers["X-ContainerStacks-Delivery"]
    )
    entry = delivery_log(ann, created["id"])[0]
    assert (entry["status"], entry["status_code"], entry["attempts"], entry["next_retry_at"]) == (
        "delivered",
        200,
        2,
        None,
    )
    assert [a["status_code"] for a in entry["history"]] == [500, 200]


def test_a_delivery_gives_up_after_the_last_retry(
    loopback_webhooks: None, monkeypatch: pytest.MonkeyPatch, api: Api, receiver: Receiver
) -> None:
    from chalicelib import wiring
    from chalicelib.wiring.notifications import get_dispatcher

    # Given retries configured as two immediate ones, and a receiver that always fails
    monkeypatch.setenv("CS_WEBHOOK_RETRY_SECONDS", "0,0")
    wiring.reset()
    receiver.default = 503
    ann = api.user()
    created = add_webhook(ann, receiver.url())

    # When the event is sent and the schedule runs until nothing is due
    ann.call("POST", f"/api/webhooks/{created['id']}/test")
    wait_for_attempts(ann, created["id"], 1)
    later = datetime.now(UTC) + timedelta(seconds=5)
    while get_dispatcher().deliver_due(at=later)["retrying"]:
        pass
    get_dispatcher().deliver_due(at=later)

    # Then it was tried three times in all and is marked failed, with nothing more due
    entry = delivery_log(ann, created["id"])[0]
    assert (entry["status"], entry["attempts"], entry["next_retry_at"]) == ("failed", 3, None)
    assert len(receiver.received) == 3
    assert get_dispatcher().deliver_due(at=later + timedelta(days=1)) == {
        "delivered": 0,
        "retrying": 0,
        "failed": 0,
        "skipped": 0,
    }


def test_a_redirect_is_not_followed(loopback_webhooks: None, api: Api, receiver: Receiver) -> None:
    # Given a receiver that redirects to another server on this machine
    inside = start_receiver()
    try:
        receiver.default = 302
        receiver.redirect_to = inside.url("/internal")
        ann = api.user()
        created = add_webhook(ann, receiver.url())

        # When an event is sent
        ann.call("POST", f"/api/webhooks/{created['id']}/test")
        entry = wait_for_attempts(ann, created["id"], 1)

        # Then the redirect counts as a failed attempt and nothing reached the redirect's target
        assert (entry["status"], entry["status_code"]) == ("pending", 302)
        assert "Redirects are not followed" in entry["error"]
        assert inside.received == []
    finally:
        inside.server.shutdown()
        inside.server.server_close()


def test_loopback_receivers_are_refused_unless_the_test_stage_allows_them(
    api: Api, receiver: Receiver
) -> None:
    # Given the default settings (CS_WEBHOOKS_ALLOW_LOOPBACK unset)
    ann = api.user()

    # When an endpoint on 127.0.0.1 is added
    reply = ann.call("POST", "/api/webhooks", {"url": receiver.url()})

    # Then it is refused, naming the url
    assert reply.status == 400, reply.body
    assert reply.body["error"]["details"][0]["field"] == "url"
    assert "loopback" in reply.body["error"]["message"]
    assert ann.call("GET", "/api/webhooks").body["webhooks"] == []


def test_a_removed_endpoint_gets_no_more_deliveries(
    loopback_webhooks: None, api: Api, receiver: Receiver
) -> None:
    from chalicelib.wiring.notifications import get_dispatcher

    # Given an event waiting for its retry
    receiver.script = [500]
    ann = api.user()
    created = add_webhook(ann, receiver.url())
    ann.call("POST", f"/api/webhooks/{created['id']}/test")
    first = wait_for_attempts(ann, created["id"], 1)

    # When the endpoint is removed, and the retry comes due
    assert ann.call("DELETE", f"/api/webhooks/{created['id']}").status == 204
    retry_at = datetime.fromisoformat(first["next_retry_at"]) + timedelta(seconds=1)
    outcome = get_dispatcher().deliver_due(at=retry_at)

    # Then nothing more was sent, and the endpoint and its log are gone for the organization
    assert outcome["failed"] == 1 and len(receiver.received) == 1
    assert ann.call("GET", f"/api/webhooks/{created['id']}/deliveries").status == 404
    assert ann.call("GET", "/api/webhooks").body["webhooks"] == []


def test_an_organization_may_have_ten_endpoints(
    loopback_webhooks: None, api: Api, receiver: Receiver
) -> None:
    ann = api.user()
    for n in range(10):
        add_webhook(ann, receiver.url(f"/hooks/{n}"))
    reply = ann.call("POST", "/api/webhooks", {"url": receiver.url("/hooks/11")})
    assert reply.status == 409 and "at most 10" in reply.body["error"]["message"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"url": "ftp://127.0.0.1/x"}, "url"),
        ({"url": "https://hooks.example.com/x", "events": []}, "events"),
        ({"url": "https://hooks.example.com/x", "events": ["container.nope"]}, "events.0"),
        ({"url": "https://hooks.example.com/x", "description": "x" * 201}, "description"),
        ({"url": "https://hooks.example.com/x", "secret": "mine"}, "secret"),
    ],
)
def test_invalid_webhook_bodies_are_400_naming_the_field(api: Api, body: dict[str, Any], field: str) -> None:
    reply = api.user().call("POST", "/api/webhooks", body)
    assert reply.status == 400, reply.body
    assert reply.body["error"]["details"][0]["field"] == field


def test_every_bypass_form_is_refused_by_the_api_naming_the_url(loopback_webhooks: None, api: Api) -> None:
    from tests.unit.notifications.test_ssrf import BYPASSES

    # Given a member, in a stage that even allows loopback receivers
    ann = api.user()
    allowed_here = {
        "http://127.0.0.1/",
        "http://127.0.0.1:8080/hook",
        "http://127.255.255.254/",
        "http://[::1]/",
    }
    allowed_here |= {"http://[0:0:0:0:0:0:0:1]/", "http://localhost/", "http://LOCALHOST:8080/"}
    allowed_here |= {"http://localhost./", "http://127.0.0.1./"}
    # When each bypass form that is not plain loopback is registered
    accepted = []
    for url in BYPASSES:
        if url in allowed_here:
            continue
        reply = ann.call("POST", "/api/webhooks", {"url": url})
        if reply.status != 400 or reply.body["error"]["details"][0]["field"] != "url":
            accepted.append((url, reply.status, reply.body))
    # Then every one is refused with a 400 naming the url, and nothing was registered
    assert accepted == []
    assert ann.call("GET", "/api/webhooks").body["webhooks"] == []


def test_by_default_every_bypass_form_is_refused_loopback_included(api: Api) -> None:
    from tests.unit.notifications.test_ssrf import BYPASSES

    ann = api.user()
    answers = {url: ann.call("POST", "/api/webhooks", {"url": url}) for url in BYPASSES}
    accepted = [
        (u, r.status)
        for u, r in answers.items()
        if r.status != 400 or r.body["error"]["details"][0]["field"] != "url"
    ]
    assert accepted == [] and len(answers) >= 30
