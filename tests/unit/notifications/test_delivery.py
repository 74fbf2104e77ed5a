"""Delivering webhook events: signed, retried with backoff, given up, sent once, checked again at connect."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from chalicelib.domain.notifications.delivery import WebhookDispatcher
from chalicelib.domain.notifications.entities import DeliveryPolicy, WebhookRequest
from chalicelib.domain.notifications.ports import SendResult
from chalicelib.domain.notifications.service import NotificationCenter
from chalicelib.domain.notifications.signing import verify
from chalicelib.domain.notifications.webhooks import WebhookService
from chalicelib.domain.shared.notices import Notice
from chalicelib.domain.shared.principal import Principal
from tests.fakes.notifications import (
    FakeMembers,
    FakeNotifications,
    FakeResolver,
    FakeSender,
    FakeWebhookStore,
    RecordingTrigger,
)
from tests.fakes.shared import FakeSecretBox

PUBLIC = "93.184.216.34"
ANN = Principal(
    user_id="u1", role="user", token_id="t", token_expires=0, organization_id="o1", organization_role="owner"
)
RETRIES = (60, 300, 1800)


class World:
    def __init__(self, *results: SendResult) -> None:
        self.now = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
        self.store = FakeWebhookStore()
        self.resolver = FakeResolver({"hooks.example.com": [PUBLIC]})
        self.sender = FakeSender(*results)
        self.trigger = RecordingTrigger()
        self.secrets = FakeSecretBox()
        self.webhooks = WebhookService(
            self.store, self.resolver, self.secrets, self.trigger, clock=self.clock
        )
        self.center = NotificationCenter(
            FakeNotifications(), self.store, FakeMembers({"o1": ["u1"]}), self.trigger, clock=self.clock
        )
        self.dispatcher = WebhookDispatcher(
            self.store,
            self.resolver,
            self.sender,
            self.secrets,
            DeliveryPolicy(retry_seconds=RETRIES, timeout_seconds=5),
            clock=self.clock,
        )

    def clock(self) -> datetime:
        return self.now

    def later(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)

    def endpoint(self, events: tuple[str, ...] = ("*",)) -> str:
        created = self.webhooks.create(ANN, WebhookRequest(url="https://hooks.example.com/in", events=events))
        self.secret = created.secret
        return created.endpoint.id

    def raise_notice(self, kind: str = "container.failed") -> None:
        self.center.notify(Notice(organization_id="o1", kind=kind, title="Container web failed", body="why"))

    def log(self, endpoint_id: str) -> list[object]:
        return list(self.webhooks.deliveries(ANN, endpoint_id, 10, None).items)


def failing(status: int) -> SendResult:
    return SendResult(status, None, 5)


def test_a_delivery_is_signed_with_the_endpoints_secret_over_time_and_body() -> None:
    # Given an endpoint and an event for it
    world = World()
    endpoint_id = world.endpoint()
    world.raise_notice()
    # When the trigger's deliveries are attempted
    assert world.dispatcher.deliver(world.trigger.refs) == {
        "delivered": 1,
        "retrying": 0,
        "failed": 0,
        "skipped": 0,
    }
    # Then one signed POST went to the vetted address, with the URL's host kept for the request
    [sent] = world.sender.sent
    assert sent.address == PUBLIC and sent.target.host_header == "hooks.example.com"
    now = int(world.now.timestamp())
    assert verify(world.secret, sent.headers["X-ContainerStacks-Signature"], sent.body, now)
    assert not verify("whsec_other", sent.headers["X-ContainerStacks-Signature"], sent.body, now)
    assert not verify(world.secret, sent.headers["X-ContainerStacks-Signature"], sent.body + b" ", now)
    assert not verify(world.secret, sent.headers["X-ContainerStacks-Signature"], sent.body, now + 301)
    event = json.loads(sent.body)
    assert event["type"] == "container.failed" and event["title"] == "Container web failed"
    [entry] = world.log(endpoint_id)
    assert entry.status == "delivered" and [a.status_code for a in entry.attempts] == [200]  # type: ignore[attr-defined]


def test_failures_are_retried_with_backoff_until_one_succeeds() -> None:
    # Given a receiver failing with 500, then timing out, then answering 204
    world = World(
        failing(500), SendResult(None, "The receiver did not answer within 5 s.", 5000), failing(204)
    )
    endpoint_id = world.endpoint()
    world.raise_notice()
    world.dispatcher.deliver(world.trigger.refs)
    # Then each retry waits for its turn: 1 minute, then 5 minutes
    assert world.dispatcher.deliver_due() == {"delivered": 0, "retrying": 0, "failed": 0, "skipped": 0}
    world.later(59)
    assert world.dispatcher.deliver_due()["retrying"] == 0
    world.later(1)
    assert world.dispatcher.deliver_due()["retrying"] == 1
    world.later(299)
    assert world.dispatcher.deliver_due()["delivered"] == 0
    world.later(1)
    assert world.dispatcher.deliver_due()["delivered"] == 1
    [entry] = world.log(endpoint_id)
    assert [(a.status_code, a.error) for a in entry.attempts] == [  # type: ignore[attr-defined]
        (500, "The receiver answered 500."),
        (None, "The receiver did not answer within 5 s."),
        (204, None),
    ]
    # And the same body was signed and sent every time
    assert len({s.body for s in world.sender.sent}) == 1


def test_a_delivery_is_given_up_after_the_last_retry() -> None:
    world = World(*[failing(503)] * 10)
    endpoint_id = world.endpoint()
    world.raise_notice()
    world.dispatcher.deliver(world.trigger.refs)
    for wait in RETRIES:
        world.later(wait)
        world.dispatcher.deliver_due()
    [entry] = world.log(endpoint_id)
    assert entry.status == "failed" and len(entry.attempts) == 1 + len(RETRIES)  # type: ignore[attr-defined]
    world.later(86400)
    assert world.dispatcher.deliver_due()["failed"] == 0 and len(world.sender.sent) == 4


def test_only_endpoints_subscribed_to_the_kind_get_it() -> None:
    world = World()
    containers = world.endpoint(("container.*",))
    invoices = world.endpoint(("invoice.issued",))
    world.raise_notice("container.running")
    world.dispatcher.deliver(world.trigger.refs)
    assert len(world.log(containers)) == 1 and world.log(invoices) == []


def test_a_host_that_resolves_inside_at_delivery_is_refused_without_connecting() -> None:
    # Given an endpoint registered while its name resolved to a public address
    world = World()
    endpoint_id = world.endpoint()
    # When the name later resolves to the metadata address (DNS rebinding)
    world.resolver.table["hooks.example.com"] = ["169.254.169.254"]
    world.raise_notice()
    world.dispatcher.deliver(world.trigger.refs)
    # Then nothing was sent, and the log says why (and it will be retried)
    assert world.sender.sent == []
    [entry] = world.log(endpoint_id)
    assert entry.status == "pending" and "metadata" in (entry.attempts[0].error or "")  # type: ignore[attr-defined]


def test_a_delivery_is_attempted_once_even_when_two_workers_reach_it() -> None:
    world = World()
    world.endpoint()
    world.raise_notice()
    second = WebhookDispatcher(
        world.store,
        world.resolver,
        world.sender,
        world.secrets,
        DeliveryPolicy(retry_seconds=RETRIES, timeout_seconds=5),
        clock=world.clock,
    )
    [ref] = world.trigger.refs
    token = world.store.claim(ref, world.now, world.now + timedelta(seconds=120))  # the first worker holds it
    assert token is not None
    assert second.deliver([ref])["skipped"] == 1 and world.sender.sent == []
    # And a worker that vanished loses its hold after the lease: the delivery is due again
    world.later(121)
    assert second.deliver_due()["delivered"] == 1


def test_an_endpoint_removed_meanwhile_gets_nothing() -> None:
    world = World()
    endpoint_id = world.endpoint()
    world.raise_notice()
    world.store.remove_endpoint("o1", endpoint_id)
    assert world.dispatcher.deliver(world.trigger.refs)["failed"] == 1 and world.sender.sent == []


def test_a_redirect_is_a_failed_attempt_that_says_why() -> None:
    world = World(failing(301))
    endpoint_id = world.endpoint()
    world.raise_notice()
    world.dispatcher.deliver(world.trigger.refs)
    [entry] = world.log(endpoint_id)
    assert "Redirects are not followed" in (entry.attempts[0].error or "")  # type: ignore[attr-defined]
    assert len(world.sender.sent) == 1


def test_a_test_event_goes_to_the_one_endpoint_whatever_it_subscribes_to() -> None:
    world = World()
    endpoint_id = world.endpoint(("invoice.issued",))
    delivery = world.webhooks.ping(ANN, endpoint_id)
    assert delivery.kind == "webhook.ping" and delivery.status == "pending"
    world.dispatcher.deliver(world.trigger.refs)
    assert json.loads(world.sender.sent[0].body)["type"] == "webhook.ping"
