"""The notification center: who gets a notice in the app, and that telling never fails the work told about."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.domain.notifications.service import NotificationCenter, NotificationService
from chalicelib.domain.shared.errors import NotFound
from chalicelib.domain.shared.notices import Notice
from chalicelib.domain.shared.principal import Principal
from tests.fakes.notifications import FakeMembers, FakeNotifications, FakeWebhookStore, RecordingTrigger

ANN = Principal(
    user_id="ann", role="user", token_id="t", token_expires=0, organization_id="o1", organization_role="owner"
)
BOB = replace(ANN, user_id="bob")
CAROL = replace(ANN, user_id="carol", organization_id="o2")


class World:
    def __init__(self) -> None:
        self.now = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
        self.notifications = FakeNotifications()
        self.webhooks = FakeWebhookStore()
        self.center = NotificationCenter(
            self.notifications,
            self.webhooks,
            FakeMembers({"o1": ["ann", "bob"], "o2": ["carol"]}),
            RecordingTrigger(),
            notification_days=90,
            clock=self.clock,
        )
        self.feed = NotificationService(self.notifications, clock=self.clock)

    def clock(self) -> datetime:
        return self.now

    def titles(self, p: Principal) -> list[str]:
        return [n.title for n in self.feed.feed(p, 20, None).items]


def test_an_organization_wide_notice_reaches_every_member_and_only_them() -> None:
    world = World()
    world.center.notify(Notice(organization_id="o1", kind="billing.suspended", title="Suspended"))
    assert world.titles(ANN) == world.titles(BOB) == ["Suspended"]
    assert world.titles(CAROL) == []


def test_a_notice_for_one_member_reaches_only_that_member() -> None:
    world = World()
    world.center.notify(Notice(organization_id="o1", kind="ticket.replied", title="Reply", user_id="bob"))
    assert world.titles(BOB) == ["Reply"] and world.titles(ANN) == []


def test_reading_is_per_member() -> None:
    world = World()
    world.center.notify(Notice(organization_id="o1", kind="invoice.issued", title="Invoice"))
    [mine] = world.feed.feed(ANN, 20, None).items
    world.feed.mark_read(ANN, mine.id)
    assert world.feed.feed(ANN, 20, None).unread_count == 0
    assert world.feed.feed(BOB, 20, None).unread_count == 1
    with pytest.raises(NotFound):
        world.feed.mark_read(CAROL, mine.id)
    with pytest.raises(NotFound):
        world.feed.mark_read(ANN, "not-a-ulid")


def test_notifications_expire_after_the_retention_period() -> None:
    world = World()
    world.center.notify(Notice(organization_id="o1", kind="invoice.issued", title="Old"))
    world.now += timedelta(days=91)
    assert world.titles(ANN) == [] and world.feed.feed(ANN, 20, None).unread_count == 0


def test_long_texts_are_clipped() -> None:
    world = World()
    world.center.notify(
        Notice(organization_id="o1", kind="container.failed", title="t" * 500, body="b" * 5000)
    )
    [n] = world.feed.feed(ANN, 20, None).items
    assert len(n.title) == 200 and len(n.body) == 2000


def test_a_store_that_fails_does_not_fail_the_caller() -> None:
    # Given the notification store is down
    world = World()
    world.notifications.fail = True
    # When a capability raises a notice, it returns normally
    world.center.notify(Notice(organization_id="o1", kind="container.failed", title="Failed"))
    # (and so does a notice for an organization with no members at all)
    world.center.notify(Notice(organization_id="nobody", kind="container.failed", title="Failed"))
