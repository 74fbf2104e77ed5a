"""In-app notifications raised where things happen: containers that start or fail, money running out,
invoices; the bell's unread count, mark read and mark all read."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from typing import Any

import pytest

from devstack.smtp import MailServer
from tests.support.api import Api, User
from tests.support.webhooks import Receiver


def feed(user: User, query: str = "") -> dict[str, Any]:
    reply = user.call("GET", f"/api/notifications{query}")
    assert reply.status == 200, reply.body
    body: dict[str, Any] = reply.body
    return body


def wait_for_notification(user: User, kind: str, timeout: float = 30.0) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        found = [n for n in feed(user)["notifications"] if n["kind"] == kind]
        if found:
            return dict(found[0])
        if time.monotonic() > deadline:
            pytest.fail(f"no {kind} notification: {feed(user)}")
        time.sleep(0.1)


def deploy(user: User, image: str) -> dict[str, Any]:
    reply = user.call(
        "POST",
        "/api/containers",
        {"name": "web", "image": image, "resources": {"cpu": "0.1", "memory": "16Mi"}},
    )
    assert reply.status == 202, reply.body
    return user.wait_for(reply.body["id"])


@pytest.mark.docker
def test_a_container_that_fails_tells_its_members_and_the_endpoints_subscribed_to_containers(
    loopback_webhooks: None, api: Api, default_host: str, receiver: Receiver
) -> None:
    # Given an organization with an endpoint for container events and one for invoices only
    ann = api.user()
    for events in (["container.*"], ["invoice.issued"]):
        assert ann.call("POST", "/api/webhooks", {"url": receiver.url(), "events": events}).status == 201

    # When a deployment fails (its image does not exist)
    record = deploy(ann, "cs-test-missing:nope")
    assert record["status"] == "error"

    # Then the member reads why in the app, unread
    notification = wait_for_notification(ann, "container.failed")
    assert notification["resource_type"] == "container" and notification["resource_id"] == record["id"]
    assert "web" in notification["title"] and "cs-test-missing:nope" in notification["body"]
    assert notification["read"] is False and feed(ann)["unread_count"] >= 1
    # And the container endpoint (only) got the event
    [got] = receiver.wait_for(1)
    event = json.loads(got.body)
    assert event["type"] == "container.failed" and event["resource"] == {
        "type": "container",
        "id": record["id"],
    }
    assert event["data"]["status"] == "error"


@pytest.mark.docker
def test_a_container_that_starts_running_tells_its_members(
    api: Api, default_host: str, test_image: str
) -> None:
    ann = api.user()
    record = deploy(ann, test_image)
    assert record["status"] == "running"
    notification = wait_for_notification(ann, "container.running")
    assert notification["resource_id"] == record["id"] and "is running" in notification["title"]


def test_a_low_balance_warns_in_the_app_as_well_as_by_mail(api: Api, smtp: MailServer) -> None:
    from chalicelib.wiring.billing import get_suspension

    # Given an organization whose balance lasts a few hours at its usage
    ann = api.user()
    # When the billing run reviews it (5.00 left, burning 1.00 an hour)
    get_suspension().review(ann.org_id, 500, 1_000_000)
    # Then its members are told in the app, once
    notification = wait_for_notification(ann, "billing.low_balance")
    assert "5.00" in notification["body"] and notification["read"] is False
    get_suspension().review(ann.org_id, 490, 1_000_000)
    assert [n["kind"] for n in feed(ann)["notifications"]].count("billing.low_balance") == 1


def test_suspension_is_announced_in_the_app(
    api: Api, smtp: MailServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    from chalicelib import wiring
    from chalicelib.wiring.billing import get_suspension

    monkeypatch.setenv("CS_BILLING_GRACE_SECONDS", "0")
    wiring.reset()
    ann = api.user()
    get_suspension().review(ann.org_id, -10, 1_000_000)
    notification = wait_for_notification(ann, "billing.suspended")
    assert "suspended" in notification["title"]


def test_an_issued_invoice_is_announced(api: Api) -> None:
    from chalicelib.domain.billing.entities import Posting
    from chalicelib.domain.billing.ports import Extras
    from chalicelib.wiring.billing import get_invoicing, get_wallet

    ann = api.user()
    period = datetime.now(UTC).strftime("%Y-%m")
    get_wallet().post(
        ann.org_id,
        extras=Extras(invoice_period=period),
        postings=[
            Posting(key="u1", kind="usage", amount_cents=-250, description="usage", created_by="system")
        ],
    )
    invoice = get_invoicing().issue(ann.org_id, period)
    assert invoice is not None
    notification = wait_for_notification(ann, "invoice.issued")
    assert invoice.number in notification["title"] and notification["resource_id"] == invoice.id


def test_marking_one_read_then_all_read_empties_the_bell(api: Api) -> None:
    from chalicelib.domain.shared.notices import Notice
    from chalicelib.wiring.events import notifier

    # Given three notifications for the organization, and one for another member only
    ann, bob = api.user("Ann"), api.user("Bob")
    for n in range(3):
        notifier().notify(Notice(organization_id=ann.org_id, kind="invoice.issued", title=f"Invoice {n}"))
    notifier().notify(Notice(organization_id=bob.org_id, kind="invoice.issued", title="Bob's"))
    first = feed(ann)
    assert first["unread_count"] == 3
    assert [n["title"] for n in first["notifications"]] == ["Invoice 2", "Invoice 1", "Invoice 0"]

    # When one is marked read
    newest = first["notifications"][0]
    reply = ann.call("POST", f"/api/notifications/{newest['id']}/read")
    assert reply.status == 200 and reply.body["read"] is True

    # Then the count drops, and the unread filter leaves it out
    assert feed(ann)["unread_count"] == 2
    assert [n["title"] for n in feed(ann, "?unread=true")["notifications"]] == ["Invoice 1", "Invoice 0"]
    # And when all are marked read, none is unread (and a new one is again)
    assert ann.call("POST", "/api/notifications/read-all").body == {"unread_count": 0}
    assert feed(ann)["unread_count"] == 0 and all(n["read"] for n in feed(ann)["notifications"])
    notifier().notify(Notice(organization_id=ann.org_id, kind="invoice.issued", title="Invoice 3"))
    assert feed(ann)["unread_count"] == 1
    # And another organization's member neither sees them nor can mark them
    assert [n["title"] for n in feed(bob)["notifications"]] == ["Bob's"]
    assert bob.call("POST", f"/api/notifications/{newest['id']}/read").status == 404


def test_the_feed_is_paginated_newest_first(api: Api) -> None:
    from chalicelib.domain.shared.notices import Notice
    from chalicelib.wiring.events import notifier

    ann = api.user()
    for n in range(5):
        notifier().notify(Notice(organization_id=ann.org_id, kind="invoice.issued", title=f"N{n}"))
    seen: list[str] = []
    cursor = ""
    while True:
        page = feed(ann, f"?limit=2{cursor}")
        seen += [n["title"] for n in page["notifications"]]
        if page["next_cursor"] is None:
            break
        cursor = f"&cursor={page['next_cursor']}"
    assert seen == ["N4", "N3", "N2", "N1", "N0"]
    assert ann.call("GET", "/api/notifications?cursor=bm9wZQ").status == 400
