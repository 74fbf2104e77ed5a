"""AWS calls per notice, per delivery attempt and per look at the feed (printed with -s; never a Scan)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.support.api import Api
from tests.support.counting import aws_calls
from tests.support.webhooks import Receiver


def test_a_notice_an_attempt_and_the_feed_cost_a_few_single_partition_calls(
    loopback_webhooks: None, monkeypatch: pytest.MonkeyPatch, api: Api, receiver: Receiver
) -> None:
    from chalicelib import wiring
    from chalicelib.domain.shared.notices import Notice
    from chalicelib.store.notifications.webhooks import WebhookRepository
    from chalicelib.wiring.events import notifier
    from chalicelib.wiring.notifications import get_dispatcher

    # Given an organization with one member and one endpoint, deliveries left to the schedule
    monkeypatch.setenv("CS_WEBHOOK_DELIVER_IMMEDIATELY", "0")
    wiring.reset()
    ann = api.user()
    assert ann.call("POST", "/api/webhooks", {"url": receiver.url()}).status == 201
    ann.call("GET", "/api/notifications")  # warm the cached service objects
    # When a notice is raised, its delivery attempted, and the feed read
    with aws_calls() as notice:
        notifier().notify(Notice(organization_id=ann.org_id, kind="invoice.issued", title="Invoice"))
    with aws_calls() as due:
        [ref] = WebhookRepository().due(datetime.now(UTC), 40)
    with aws_calls() as attempt:
        assert get_dispatcher().attempt(ref) == "delivered"
    with aws_calls() as feed:
        assert ann.call("GET", "/api/notifications").body["unread_count"] == 1
    print(f"\nnotice: {notice}\ndue: {due}\nattempt: {attempt}\nfeed: {feed}")
    # Then each is a handful of calls on the organization's partitions (and the queue's shards)
    assert notice == [
        ("dynamodb", "Query"),  # the members
        ("dynamodb", "BatchWriteItem"),  # their notifications
        ("dynamodb", "Query"),  # the endpoints
        ("dynamodb", "BatchWriteItem"),  # the delivery, logged and queued
    ]
    assert due == [("dynamodb", "Query")] * 8  # the queue's shards (a scheduled run's first look)
    assert attempt == [
        ("dynamodb", "UpdateItem"),  # claim
        ("dynamodb", "GetItem"),  # the delivery
        ("dynamodb", "GetItem"),  # the endpoint
        ("kms", "Decrypt"),  # its secret
        ("dynamodb", "TransactWriteItems"),  # settle
    ]
    assert [call for call in feed if call[1] in ("Scan", "BatchWriteItem")] == []
    assert len(feed) <= 5
