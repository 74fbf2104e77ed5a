"""In-memory fakes of the notification ports: stores, resolver, sender, trigger, members."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime

from chalicelib.domain.notifications.entities import (
    PENDING,
    Delivery,
    DeliveryRef,
    Notification,
    WebhookEndpoint,
)
from chalicelib.domain.notifications.ports import SendResult
from chalicelib.domain.notifications.ssrf import UnsafeUrl, WebhookTarget
from chalicelib.domain.shared.errors import NotFound, ValidationFailed
from chalicelib.domain.shared.paging import Page


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _page(items: list[object], limit: int, cursor: str | None, key: str) -> tuple[list[object], str | None]:
    """Items after the cursor (an item's id), `limit` of them, and the next cursor."""
    ids = [getattr(i, key) for i in items]
    if cursor is not None:
        if cursor not in ids:
            raise ValidationFailed("The cursor is not valid.", details={"field": "cursor"})
        items = items[ids.index(cursor) + 1 :]
    chunk = items[:limit]
    more = len(items) > limit
    return chunk, (getattr(chunk[-1], key) if more and chunk else None)


class FakeNotifications:
    def __init__(self) -> None:
        self.items: dict[tuple[str, str], dict[str, tuple[Notification, datetime, datetime | None]]] = {}
        self.read_before: dict[tuple[str, str], str] = {}
        self.fail = False  # the store is down

    def add(self, notifications: list[Notification], expires: datetime) -> None:
        if self.fail:
            raise RuntimeError("store down")
        for n in notifications:
            self.items.setdefault((n.organization_id, n.user_id), {})[n.id] = (n, expires, None)

    def _visible(self, org_id: str, user_id: str, now: datetime) -> list[Notification]:
        mark = self.read_before.get((org_id, user_id), "")
        found = []
        for notification_id, (n, expires, read_at) in self.items.get((org_id, user_id), {}).items():
            if expires > now:
                found.append(replace(n, read=read_at is not None or notification_id < mark))
        return sorted(found, key=lambda n: n.id, reverse=True)

    def page(
        self, org_id: str, user_id: str, limit: int, cursor: str | None, unread_only: bool, now: datetime
    ) -> Page[Notification]:
        items = [n for n in self._visible(org_id, user_id, now) if not (unread_only and n.read)]
        chunk, following = _page(list(items), limit, cursor, "id")
        return Page(items=[n for n in chunk if isinstance(n, Notification)], next_cursor=following)

    def unread_count(self, org_id: str, user_id: str, now: datetime, cap: int) -> int:
        return min(cap, sum(not n.read for n in self._visible(org_id, user_id, now)))

    def mark_read(self, org_id: str, user_id: str, notification_id: str, now: datetime) -> Notification:
        found = self.items.get((org_id, user_id), {}).get(notification_id)
        if found is None or found[1] <= now:
            raise NotFound(f"Notification {notification_id} was not found.")
        n, expires, read_at = found
        self.items[(org_id, user_id)][notification_id] = (n, expires, read_at or now)
        return replace(n, read=True)

    def mark_all_read(self, org_id: str, user_id: str, now: datetime) -> None:
        from chalicelib.store.notifications.repository import ulid_floor

        self.read_before[(org_id, user_id)] = ulid_floor(now)


@dataclass
class _Queued:
    ref: DeliveryRef
    due: datetime
    claim: str | None = None
    claimed_until: datetime | None = None


class FakeWebhookStore:
    def __init__(self) -> None:
        self.endpoints_by_org: dict[str, dict[str, WebhookEndpoint]] = {}
        self.log: dict[tuple[str, str, str], Delivery] = {}
        self.queue: dict[str, _Queued] = {}

    def endpoints(self, org_id: str) -> list[WebhookEndpoint]:
        return list(self.endpoints_by_org.get(org_id, {}).values())

    def endpoint(self, org_id: str, endpoint_id: str) -> WebhookEndpoint:
        found = self.endpoints_by_org.get(org_id, {}).get(endpoint_id)
        if found is None:
            raise NotFound(f"Webhook {endpoint_id} was not found.")
        return found

    def add_endpoint(self, endpoint: WebhookEndpoint) -> None:
        self.endpoints_by_org.setdefault(endpoint.organization_id, {})[endpoint.id] = endpoint

    def remove_endpoint(self, org_id: str, endpoint_id: str) -> None:
        if self.endpoints_by_org.get(org_id, {}).pop(endpoint_id, None) is None:
            raise NotFound(f"Webhook {endpoint_id} was not found.")

    def _queue(self, d: Delivery, due: datetime) -> DeliveryRef:
        ref = DeliveryRef(d.organization_id, d.endpoint_id, d.id, f"{_stamp(due)}#{d.id}")
        self.queue[ref.queue_key] = _Queued(ref, due)
        return ref

    def add_deliveries(self, deliveries: list[Delivery], expires: datetime) -> list[DeliveryRef]:
        refs = []
        for d in deliveries:
            self.log[(d.organization_id, d.endpoint_id, d.id)] = d
            refs.append(self._queue(d, d.next_attempt_at or d.created_at))
        return refs

    def delivery(self, ref: DeliveryRef) -> Delivery:
        found = self.log.get((ref.organization_id, ref.endpoint_id, ref.delivery_id))
        if found is None:
            raise NotFound(f"Delivery {ref.delivery_id} was not found.")
        return found

    def deliveries(self, org_id: str, endpoint_id: str, limit: int, cursor: str | None) -> Page[Delivery]:
        items = sorted(
            (d for (o, e, _), d in self.log.items() if (o, e) == (org_id, endpoint_id)),
            key=lambda d: d.id,
            reverse=True,
        )
        chunk, following = _page(list(items), limit, cursor, "id")
        return Page(items=[d for d in chunk if isinstance(d, Delivery)], next_cursor=following)

    def due(self, now: datetime, limit: int) -> list[DeliveryRef]:
        due = [
            q
            for q in self.queue.values()
            if q.due <= now and (q.claimed_until is None or q.claimed_until < now)
        ]
        return [q.ref for q in sorted(due, key=lambda q: q.ref.queue_key)[:limit]]

    def claim(self, ref: DeliveryRef, now: datetime, until: datetime) -> str | None:
        q = self.queue.get(ref.queue_key)
        if q is None or (q.claimed_until is not None and q.claimed_until >= now):
            return None
        q.claim, q.claimed_until = uuid.uuid4().hex, until
        return q.claim

    def settle(
        self, ref: DeliveryRef, token: str, before: Delivery, after: Delivery, expires: datetime
    ) -> bool:
        q = self.queue.get(ref.queue_key)
        key = (ref.organization_id, ref.endpoint_id, ref.delivery_id)
        if q is None or q.claim != token or len(self.log[key].attempts) != len(before.attempts):
            return False
        del self.queue[ref.queue_key]
        if after != before:
            self.log[key] = after
            if after.status == PENDING and after.next_attempt_at is not None:
                self._queue(after, after.next_attempt_at)
        return True


class FakeResolver:
    """Names resolve through a table; anything else is not resolvable (no DNS is ever asked)."""

    def __init__(self, table: Mapping[str, list[str]] | None = None) -> None:
        self.table = dict(table or {})
        self.asked: list[str] = []

    def resolve(self, host: str, port: int) -> list[str]:
        self.asked.append(host)
        if host not in self.table:
            raise UnsafeUrl(f"its host {host} could not be resolved")
        return list(self.table[host])


@dataclass(frozen=True)
class Sent:
    target: WebhookTarget
    address: str
    headers: dict[str, str]
    body: bytes


class FakeSender:
    """Records what it was asked to send and answers the scripted results in turn (then 200)."""

    def __init__(self, *results: SendResult) -> None:
        self.results = list(results)
        self.sent: list[Sent] = []

    def post(
        self, target: WebhookTarget, address: str, headers: Mapping[str, str], body: bytes, timeout: float
    ) -> SendResult:
        self.sent.append(Sent(target, address, dict(headers), body))
        return self.results.pop(0) if self.results else SendResult(200, None, 3)


class RecordingTrigger:
    def __init__(self) -> None:
        self.refs: list[DeliveryRef] = []

    def deliver_soon(self, refs: list[DeliveryRef]) -> None:
        self.refs += refs


class FakeMembers:
    def __init__(self, members: Mapping[str, list[str]]) -> None:
        self.members = dict(members)

    def user_ids(self, org_id: str) -> list[str]:
        return list(self.members.get(org_id, []))
