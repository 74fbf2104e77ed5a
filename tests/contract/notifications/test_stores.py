"""The NotificationStore and WebhookStore ports, against the repositories on moto and against the fakes."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.domain.notifications.entities import (
    DELIVERED,
    PENDING,
    Attempt,
    Delivery,
    Notification,
    WebhookEndpoint,
)
from chalicelib.domain.shared.errors import NotFound, ValidationFailed
from chalicelib.domain.shared.ids import new_ulid, new_ulids
from tests.contract.notifications.conftest import Stores

NOW = datetime.now(UTC).replace(microsecond=0)
KEEP = NOW + timedelta(days=90)


def notification(org: str, user: str, title: str, notification_id: str | None = None) -> Notification:
    return Notification(
        id=notification_id or new_ulid(),
        organization_id=org,
        user_id=user,
        kind="invoice.issued",
        title=title,
        body="",
        created_at=NOW,
        resource_type="invoice",
        resource_id="i1",
    )


def endpoint(org: str = "o1") -> WebhookEndpoint:
    return WebhookEndpoint(
        id=str(uuid.uuid4()),
        organization_id=org,
        url="https://hooks.example.com/in",
        events=("container.*", "invoice.issued"),
        description="ops",
        secret_encrypted="c2VjcmV0",
        created_at=NOW,
        created_by="u1",
    )


def delivery(e: WebhookEndpoint, due: datetime = NOW) -> Delivery:
    return Delivery(
        id=new_ulid(),
        organization_id=e.organization_id,
        endpoint_id=e.id,
        event_id=f"evt_{new_ulid()}",
        kind="container.failed",
        body='{"a":1}',
        status=PENDING,
        created_at=NOW,
        next_attempt_at=due,
    )


def test_notifications_read_back_newest_first_a_page_at_a_time(stores: Stores) -> None:
    ids = new_ulids(5)
    stores.notifications.add([notification("o1", "u1", f"n{i}", ids[i]) for i in range(5)], KEEP)
    stores.notifications.add([notification("o1", "u2", "other member")], KEEP)
    first = stores.notifications.page("o1", "u1", 2, None, False, NOW)
    assert [n.title for n in first.items] == ["n4", "n3"] and first.next_cursor
    rest = stores.notifications.page("o1", "u1", 10, first.next_cursor, False, NOW)
    assert [n.title for n in rest.items] == ["n2", "n1", "n0"]
    assert first.items[0] == notification("o1", "u1", "n4", ids[4])
    with pytest.raises(ValidationFailed):
        stores.notifications.page("o1", "u2", 2, first.next_cursor, False, NOW)  # another partition's cursor


def test_read_marks_count_per_member_and_mark_all_covers_everything_before(stores: Stores) -> None:
    ids = new_ulids(3)
    stores.notifications.add([notification("o1", "u1", f"n{i}", ids[i]) for i in range(3)], KEEP)
    assert stores.notifications.unread_count("o1", "u1", NOW, 999) == 3
    assert stores.notifications.mark_read("o1", "u1", ids[0], NOW).read
    assert stores.notifications.mark_read("o1", "u1", ids[0], NOW).read  # twice is fine
    assert stores.notifications.unread_count("o1", "u1", NOW, 999) == 2
    unread = stores.notifications.page("o1", "u1", 10, None, True, NOW)
    assert [n.id for n in unread.items] == [ids[2], ids[1]]
    stores.notifications.mark_all_read("o1", "u1", datetime.now(UTC))
    assert stores.notifications.unread_count("o1", "u1", NOW, 999) == 0
    assert stores.notifications.page("o1", "u1", 10, None, True, NOW).items == []
    assert stores.notifications.unread_count("o1", "u1", NOW, 2) == 0
    with pytest.raises(NotFound):
        stores.notifications.mark_read("o1", "u2", ids[1], NOW)


def test_expired_notifications_are_gone(stores: Stores) -> None:
    stores.notifications.add([notification("o1", "u1", "old")], NOW + timedelta(seconds=5))
    later = NOW + timedelta(seconds=10)
    assert stores.notifications.page("o1", "u1", 10, None, False, later).items == []
    assert stores.notifications.unread_count("o1", "u1", later, 999) == 0


def test_endpoints_are_per_organization(stores: Stores) -> None:
    mine, theirs = endpoint("o1"), endpoint("o2")
    stores.webhooks.add_endpoint(mine)
    stores.webhooks.add_endpoint(theirs)
    assert stores.webhooks.endpoints("o1") == [mine]
    assert stores.webhooks.endpoint("o1", mine.id) == mine
    with pytest.raises(NotFound):
        stores.webhooks.endpoint("o1", theirs.id)
    with pytest.raises(NotFound):
        stores.webhooks.remove_endpoint("o1", theirs.id)
    stores.webhooks.remove_endpoint("o1", mine.id)
    assert stores.webhooks.endpoints("o1") == []


def test_a_queued_delivery_is_held_by_one_worker_and_settled_once(stores: Stores) -> None:
    e = endpoint()
    stores.webhooks.add_endpoint(e)
    d = delivery(e)
    [ref] = stores.webhooks.add_deliveries([d], KEEP)
    assert stores.webhooks.due(NOW, 10) == [ref]
    assert stores.webhooks.delivery(ref) == d
    token = stores.webhooks.claim(ref, NOW, NOW + timedelta(seconds=120))
    assert token is not None
    assert stores.webhooks.claim(ref, NOW, NOW + timedelta(seconds=120)) is None
    assert stores.webhooks.due(NOW, 10) == []
    # When the attempt fails, it is queued again at its next time
    retry_at = NOW + timedelta(seconds=60)
    attempt = Attempt(1, NOW, 500, "The receiver answered 500.", 12)
    after = replace(d, attempts=(attempt,), next_attempt_at=retry_at)
    assert stores.webhooks.settle(ref, token, d, after, KEEP)
    assert not stores.webhooks.settle(ref, token, d, after, KEEP)  # settled already
    assert stores.webhooks.due(NOW + timedelta(seconds=59), 10) == []
    [again] = stores.webhooks.due(retry_at, 10)
    assert stores.webhooks.delivery(again) == after
    # And once delivered, nothing is due any more
    token = stores.webhooks.claim(again, retry_at, retry_at + timedelta(seconds=120))
    assert token is not None
    done = replace(
        after, status=DELIVERED, attempts=(attempt, replace(attempt, number=2, status_code=200, error=None))
    )
    assert stores.webhooks.settle(
        again, token, after, replace(done, next_attempt_at=None, delivered_at=retry_at), KEEP
    )
    assert stores.webhooks.due(retry_at + timedelta(days=1), 10) == []
    [logged] = stores.webhooks.deliveries("o1", e.id, 10, None).items
    assert logged.status == DELIVERED and [a.status_code for a in logged.attempts] == [500, 200]


def test_a_hold_that_outlived_its_lease_can_be_taken_over(stores: Stores) -> None:
    e = endpoint()
    [ref] = stores.webhooks.add_deliveries([delivery(e)], KEEP)
    assert stores.webhooks.claim(ref, NOW, NOW + timedelta(seconds=120)) is not None
    later = NOW + timedelta(seconds=121)
    assert stores.webhooks.due(later, 10) == [ref]
    assert stores.webhooks.claim(ref, later, later + timedelta(seconds=120)) is not None


def test_the_delivery_log_is_newest_first_a_page_at_a_time(stores: Stores) -> None:
    e = endpoint()
    ids = new_ulids(3)
    stores.webhooks.add_deliveries([replace(delivery(e), id=i) for i in ids], KEEP)
    first = stores.webhooks.deliveries("o1", e.id, 2, None)
    assert [d.id for d in first.items] == [ids[2], ids[1]]
    assert [d.id for d in stores.webhooks.deliveries("o1", e.id, 2, first.next_cursor).items] == [ids[0]]
    assert stores.webhooks.deliveries("o2", e.id, 2, None).items == []
