"""The notification center (the Notifier every capability reports to) and the members' notification feed."""

from __future__ import annotations

import json
import logging
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from chalicelib.domain.notifications.entities import (
    MAX_BODY,
    MAX_TITLE,
    PENDING,
    ULID_PATTERN,
    Delivery,
    DeliveryRef,
    Notification,
    NotificationFeed,
    WebhookEndpoint,
)
from chalicelib.domain.notifications.ports import DeliveryTrigger, Members, NotificationStore, WebhookStore
from chalicelib.domain.shared.clock import Clock, utcnow
from chalicelib.domain.shared.errors import NotFound
from chalicelib.domain.shared.ids import new_ulid, new_ulids
from chalicelib.domain.shared.notices import Notice
from chalicelib.domain.shared.principal import Principal
from chalicelib.domain.shared.tenancy import tenant_scope

log = logging.getLogger(__name__)
UNREAD_CAP = 999  # the bell shows "999+" beyond this; counting further would read the whole feed


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def event_body(notice: Notice, event_id: str, created_at: str) -> str:
    """The JSON a webhook receives for a notice (the same bytes at every attempt)."""
    resource = (
        {"type": notice.resource_type, "id": notice.resource_id}
        if notice.resource_type or notice.resource_id
        else None
    )
    event: dict[str, Any] = {
        "id": event_id,
        "type": notice.kind,
        "created_at": created_at,
        "organization_id": notice.organization_id,
        "title": _clip(notice.title, MAX_TITLE),
        "body": _clip(notice.body, MAX_BODY),
        "resource": resource,
        "data": dict(notice.data),
    }
    return json.dumps(event, separators=(",", ":"), sort_keys=True, default=str)


class NotificationCenter:
    """Implements the Notifier port: an in-app notification for each member concerned, and a queued, signed
    delivery for each of the organization's endpoints subscribed to the notice's kind.

    `notify` never raises and never waits for a delivery: failures are logged, deliveries are attempted by the
    trigger (soon) and the schedule (whatever is still due).
    """

    def __init__(
        self,
        notifications: NotificationStore,
        webhooks: WebhookStore,
        members: Members,
        trigger: DeliveryTrigger,
        *,
        notification_days: int = 90,
        log_days: int = 30,
        clock: Clock = utcnow,
    ) -> None:
        self._notifications = notifications
        self._webhooks = webhooks
        self._members = members
        self._trigger = trigger
        self._keep = timedelta(days=notification_days)
        self._log_for = timedelta(days=log_days)
        self._clock = clock

    def notify(self, notice: Notice) -> None:
        try:
            with tenant_scope(
                notice.organization_id
            ):  # an admin acting elsewhere writes with that org's session
                self._in_app(notice)
        except Exception:
            log.exception(
                "in-app notification %s for %s was not written", notice.kind, notice.organization_id
            )
        try:
            self._webhook(notice)
        except Exception:
            log.exception(
                "webhook deliveries of %s for %s were not queued", notice.kind, notice.organization_id
            )

    def _in_app(self, notice: Notice) -> None:
        now = self._clock()
        users = [notice.user_id] if notice.user_id else self._members.user_ids(notice.organization_id)
        if not users:
            return
        ids = new_ulids(len(users), int(now.timestamp() * 1000))
        self._notifications.add(
            [
                Notification(
                    id=notification_id,
                    organization_id=notice.organization_id,
                    user_id=user_id,
                    kind=notice.kind,
                    title=_clip(notice.title, MAX_TITLE),
                    body=_clip(notice.body, MAX_BODY),
                    created_at=now,
                    resource_type=notice.resource_type,
                    resource_id=notice.resource_id,
                )
                for notification_id, user_id in zip(ids, users, strict=True)
            ],
            now + self._keep,
        )

    def _webhook(self, notice: Notice) -> None:
        with tenant_scope(notice.organization_id):
            found = self._webhooks.endpoints(notice.organization_id)
        endpoints = [e for e in found if e.wants(notice.kind)]
        if endpoints:
            queue_event(self._webhooks, self._trigger, notice, endpoints, self._clock(), self._log_for)


def queue_event(
    webhooks: WebhookStore,
    trigger: DeliveryTrigger,
    notice: Notice,
    endpoints: list[WebhookEndpoint],
    now: datetime,
    log_for: timedelta,
) -> list[DeliveryRef]:
    """One event, a delivery of it per endpoint: logged, queued due now, and handed to the trigger."""
    event_id = f"evt_{new_ulid()}"
    body = event_body(notice, event_id, now.strftime("%Y-%m-%dT%H:%M:%S.%fZ"))
    deliveries = [
        Delivery(
            id=delivery_id,
            organization_id=notice.organization_id,
            endpoint_id=endpoint.id,
            event_id=event_id,
            kind=notice.kind,
            body=body,
            status=PENDING,
            created_at=now,
            next_attempt_at=now,
        )
        for delivery_id, endpoint in zip(new_ulids(len(endpoints)), endpoints, strict=True)
    ]
    refs = webhooks.add_deliveries(deliveries, now + log_for)
    trigger.deliver_soon(refs)
    return refs


class NotificationService:
    """A member's feed in the organization acted in. Raises NotFound for another member's notification."""

    def __init__(self, notifications: NotificationStore, *, clock: Clock = utcnow) -> None:
        self._notifications = notifications
        self._clock = clock

    def feed(
        self, p: Principal, limit: int, cursor: str | None, unread_only: bool = False
    ) -> NotificationFeed:
        now = self._clock()
        page = self._notifications.page(p.organization_id, p.user_id, limit, cursor, unread_only, now)
        unread = self._notifications.unread_count(p.organization_id, p.user_id, now, UNREAD_CAP)
        return NotificationFeed(items=page.items, next_cursor=page.next_cursor, unread_count=unread)

    def mark_read(self, p: Principal, notification_id: str) -> Notification:
        if not ULID_PATTERN.match(notification_id):
            raise NotFound(f"Notification {notification_id[:40]} was not found.")
        found = self._notifications.mark_read(p.organization_id, p.user_id, notification_id, self._clock())
        return replace(found, read=True)

    def mark_all_read(self, p: Principal) -> int:
        """Everything up to now is read; the unread count after (0 unless something arrived meanwhile)."""
        now = self._clock()
        self._notifications.mark_all_read(p.organization_id, p.user_id, now)
        return self._notifications.unread_count(p.organization_id, p.user_id, now, UNREAD_CAP)
