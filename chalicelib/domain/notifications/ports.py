"""What the notifications capability needs: its stores, DNS, HTTP and a way to deliver soon."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from chalicelib.domain.notifications.entities import Delivery, DeliveryRef, Notification, WebhookEndpoint
from chalicelib.domain.notifications.ssrf import WebhookTarget
from chalicelib.domain.shared.paging import Page


class Members(Protocol):
    def user_ids(self, org_id: str) -> list[str]:
        """The members of an organization (who gets an organization-wide notification)."""
        ...


class NotificationStore(Protocol):
    """Members' notifications, kept for a retention period. Raises NotFound for a missing one."""

    def add(self, notifications: list[Notification], expires: datetime) -> None: ...

    def page(
        self, org_id: str, user_id: str, limit: int, cursor: str | None, unread_only: bool, now: datetime
    ) -> Page[Notification]: ...

    def unread_count(self, org_id: str, user_id: str, now: datetime, cap: int) -> int:
        """Unread notifications, counted up to `cap`."""
        ...

    def mark_read(self, org_id: str, user_id: str, notification_id: str, now: datetime) -> Notification: ...

    def mark_all_read(self, org_id: str, user_id: str, now: datetime) -> None: ...


class WebhookStore(Protocol):
    """Endpoints, the delivery log and the queue of due deliveries. Raises NotFound for a missing endpoint or
    delivery."""

    def endpoints(self, org_id: str) -> list[WebhookEndpoint]: ...

    def endpoint(self, org_id: str, endpoint_id: str) -> WebhookEndpoint: ...

    def add_endpoint(self, endpoint: WebhookEndpoint) -> None: ...

    def remove_endpoint(self, org_id: str, endpoint_id: str) -> None: ...

    def add_deliveries(self, deliveries: list[Delivery], expires: datetime) -> list[DeliveryRef]:
        """Log each delivery and queue it, due at once; the references to claim them by."""
        ...

    def delivery(self, ref: DeliveryRef) -> Delivery: ...

    def deliveries(self, org_id: str, endpoint_id: str, limit: int, cursor: str | None) -> Page[Delivery]: ...

    def due(self, now: datetime, limit: int) -> list[DeliveryRef]:
        """Queued deliveries due at `now` that nobody holds, oldest first, at most `limit`."""
        ...

    def claim(self, ref: DeliveryRef, now: datetime, until: datetime) -> str | None:
        """Hold a due delivery until `until` (a token), or None when it is gone or someone else holds it."""
        ...

    def settle(
        self, ref: DeliveryRef, token: str, before: Delivery, after: Delivery, expires: datetime
    ) -> bool:
        """Record an attempt and release the hold in one write: `after` replaces `before` (unless another
        worker recorded meanwhile) and is queued again at `after.next_attempt_at` while it is pending.
        False when the hold was lost."""
        ...


class Resolver(Protocol):
    def resolve(self, host: str, port: int) -> list[str]:
        """Every address `host` resolves to. Raises UnsafeUrl when it cannot be resolved (or may not be)."""
        ...


@dataclass(frozen=True)
class SendResult:
    status_code: int | None
    error: str | None
    duration_ms: int


class Sender(Protocol):
    def post(
        self, target: WebhookTarget, address: str, headers: Mapping[str, str], body: bytes, timeout: float
    ) -> SendResult:
        """POST `body` to `target`, connecting to `address` only (the one that was vetted), with the URL's
        host in the Host header and TLS server name. Never follows a redirect; never raises for what the
        network or the receiver did (the result says it)."""
        ...


class DeliveryTrigger(Protocol):
    def deliver_soon(self, refs: list[DeliveryRef]) -> None:
        """Attempt these deliveries shortly, without waiting for them. Never raises."""
        ...
