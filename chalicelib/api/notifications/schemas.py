"""Wire models of notifications and webhooks."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field

from chalicelib.api.wire import Cursor, NextCursor, Out, Strict
from chalicelib.domain.notifications.entities import (
    EVENT_PATTERNS,
    KINDS,
    MAX_DESCRIPTION,
    Attempt,
    CreatedWebhook,
    Delivery,
    DeliveryStatus,
    Notification,
    NotificationFeed,
    WebhookEndpoint,
    WebhookRequest,
)
from chalicelib.domain.notifications.ssrf import MAX_URL_LENGTH, URL_PATTERN
from chalicelib.domain.shared.paging import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE

EventPattern = Literal[EVENT_PATTERNS]  # type: ignore[valid-type]
_KINDS_DOC = "; ".join(f"{kind}: {meaning}" for kind, meaning in KINDS.items())


class NotificationQuery(Strict):
    limit: Annotated[int, Field(ge=1, le=MAX_PAGE_SIZE)] = DEFAULT_PAGE_SIZE
    cursor: Cursor | None = None
    unread: Annotated[bool, Field(description="Only unread notifications")] = False


class NotificationOut(Out):
    id: str
    kind: str
    title: str
    body: str
    resource_type: str | None
    resource_id: str | None
    read: bool
    created_at: datetime

    @classmethod
    def of(cls, n: Notification) -> NotificationOut:
        return cls(
            id=n.id,
            kind=n.kind,
            title=n.title,
            body=n.body,
            resource_type=n.resource_type,
            resource_id=n.resource_id,
            read=n.read,
            created_at=n.created_at,
        )


class NotificationListOut(Out):
    notifications: list[NotificationOut]
    unread_count: Annotated[int, Field(ge=0, description="Unread notifications (counted up to 999)")]
    next_cursor: NextCursor = None

    @classmethod
    def of(cls, feed: NotificationFeed) -> NotificationListOut:
        return cls(
            notifications=[NotificationOut.of(n) for n in feed.items],
            unread_count=feed.unread_count,
            next_cursor=feed.next_cursor,
        )


class ReadAllOut(Out):
    unread_count: int


class WebhookEndpointIn(Strict):
    url: Annotated[
        str,
        Field(
            min_length=1,
            max_length=MAX_URL_LENGTH,
            pattern=URL_PATTERN,
            examples=["https://hooks.example.com/containerstacks"],
            description="http(s), no user name or password, no fragment; its host must resolve to public "
            "addresses only (checked again at every delivery)",
        ),
    ]
    events: Annotated[
        list[EventPattern],
        Field(
            min_length=1,
            max_length=len(EVENT_PATTERNS),
            description="Kinds to receive: '*' for all, an area such as 'container.*', or kinds "
            f"({_KINDS_DOC})",
        ),
    ] = ["*"]
    description: Annotated[str, Field(max_length=MAX_DESCRIPTION)] = ""

    def to_domain(self) -> WebhookRequest:
        return WebhookRequest(url=self.url, events=tuple(self.events), description=self.description)


class WebhookEndpointOut(Out):
    id: str
    url: str
    events: list[str]
    description: str
    created_at: datetime

    @classmethod
    def of(cls, e: WebhookEndpoint) -> WebhookEndpointOut:
        return cls(
            id=e.id, url=e.url, events=list(e.events), description=e.description, created_at=e.created_at
        )


class WebhookEndpointCreatedOut(WebhookEndpointOut):
    secret: Annotated[
        str,
        Field(
            description="The signing secret, shown this once: X-ContainerStacks-Signature is "
            "t=<unix>,v1=<hex HMAC-SHA256 of '<t>.<raw body>' with this secret>"
        ),
    ]

    @classmethod
    def created(cls, c: CreatedWebhook) -> WebhookEndpointCreatedOut:
        e = c.endpoint
        return cls(
            id=e.id,
            url=e.url,
            events=list(e.events),
            description=e.description,
            created_at=e.created_at,
            secret=c.secret,
        )


class WebhookEndpointListOut(Out):
    webhooks: list[WebhookEndpointOut]
    event_kinds: Annotated[dict[str, str], Field(description="Every kind of event and what it means")]


class AttemptOut(Out):
    number: int
    at: datetime
    status_code: int | None
    error: str | None
    duration_ms: int

    @classmethod
    def of(cls, a: Attempt) -> AttemptOut:
        return cls(
            number=a.number, at=a.at, status_code=a.status_code, error=a.error, duration_ms=a.duration_ms
        )


class DeliveryOut(Out):
    id: str
    event_id: str
    event: str
    status: DeliveryStatus
    attempts: int
    status_code: int | None = Field(description="The last attempt's HTTP status (null: no answer)")
    error: str | None = Field(description="Why the last attempt failed")
    next_retry_at: datetime | None
    delivered_at: datetime | None
    created_at: datetime
    history: list[AttemptOut]

    @classmethod
    def of(cls, d: Delivery) -> DeliveryOut:
        last = d.last
        return cls(
            id=d.id,
            event_id=d.event_id,
            event=d.kind,
            status=d.status,
            attempts=len(d.attempts),
            status_code=last.status_code if last else None,
            error=d.final_error or (last.error if last else None),
            next_retry_at=d.next_attempt_at if d.status == "pending" else None,
            delivered_at=d.delivered_at,
            created_at=d.created_at,
            history=[AttemptOut.of(a) for a in d.attempts],
        )


class DeliveryListOut(Out):
    deliveries: list[DeliveryOut]
    next_cursor: NextCursor = None
