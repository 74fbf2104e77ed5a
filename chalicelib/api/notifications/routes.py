"""A member's notifications (the bell and feed) and the organization's webhook endpoints with their log."""

from __future__ import annotations

from chalice.app import Blueprint

from chalicelib.api.http import Call, endpoint
from chalicelib.api.notifications.schemas import (
    DeliveryListOut,
    DeliveryOut,
    NotificationListOut,
    NotificationOut,
    NotificationQuery,
    ReadAllOut,
    WebhookEndpointCreatedOut,
    WebhookEndpointIn,
    WebhookEndpointListOut,
    WebhookEndpointOut,
)
from chalicelib.api.wire import PageQuery
from chalicelib.domain.notifications.entities import KINDS
from chalicelib.domain.shared.roles import ANY_MEMBER, MANAGE
from chalicelib.wiring.notifications import get_notifications, get_webhooks

bp = Blueprint(__name__)
TAG = "notifications"


@endpoint(
    bp,
    "/api/notifications",
    "GET",
    summary="My notifications in this organization, newest first, with the unread count",
    tag=TAG,
    query=NotificationQuery,
    response=NotificationListOut,
)
def list_notifications(call: Call) -> NotificationListOut:
    q: NotificationQuery = call.query
    return NotificationListOut.of(get_notifications().feed(call.principal, q.limit, q.cursor, q.unread))


@endpoint(
    bp,
    "/api/notifications/{notification_id}/read",
    "POST",
    summary="Mark one notification read",
    tag=TAG,
    response=NotificationOut,
    errors=(404,),
    roles=ANY_MEMBER,
)
def read_notification(call: Call, notification_id: str) -> NotificationOut:
    return NotificationOut.of(get_notifications().mark_read(call.principal, notification_id))


@endpoint(
    bp,
    "/api/notifications/read-all",
    "POST",
    summary="Mark every notification read",
    tag=TAG,
    response=ReadAllOut,
    roles=ANY_MEMBER,
)
def read_all_notifications(call: Call) -> ReadAllOut:
    return ReadAllOut(unread_count=get_notifications().mark_all_read(call.principal))


@endpoint(
    bp,
    "/api/webhooks",
    "GET",
    summary="The organization's webhook endpoints and the kinds of event they can receive",
    tag=TAG,
    response=WebhookEndpointListOut,
    roles=MANAGE,
)
def list_webhooks(call: Call) -> WebhookEndpointListOut:
    endpoints = get_webhooks().list(call.principal)
    return WebhookEndpointListOut(
        webhooks=[WebhookEndpointOut.of(e) for e in endpoints], event_kinds=dict(KINDS)
    )


@endpoint(
    bp,
    "/api/webhooks",
    "POST",
    summary="Add a webhook endpoint; its signing secret is in this answer only",
    tag=TAG,
    status=201,
    request=WebhookEndpointIn,
    response=WebhookEndpointCreatedOut,
    errors=(409, 503),
    idempotent=True,
    roles=MANAGE,
)
def create_webhook(call: Call) -> WebhookEndpointCreatedOut:
    body: WebhookEndpointIn = call.body
    return WebhookEndpointCreatedOut.created(get_webhooks().create(call.principal, body.to_domain()))


@endpoint(
    bp,
    "/api/webhooks/{webhook_id}",
    "DELETE",
    summary="Remove a webhook endpoint (queued deliveries to it are dropped)",
    tag=TAG,
    status=204,
    errors=(404,),
    roles=MANAGE,
)
def delete_webhook(call: Call, webhook_id: str) -> None:
    get_webhooks().remove(call.principal, webhook_id)


@endpoint(
    bp,
    "/api/webhooks/{webhook_id}/deliveries",
    "GET",
    summary="An endpoint's delivery log, newest first: event, attempts, status code, error, next retry",
    tag=TAG,
    query=PageQuery,
    response=DeliveryListOut,
    errors=(404,),
    roles=MANAGE,
)
def list_deliveries(call: Call, webhook_id: str) -> DeliveryListOut:
    q: PageQuery = call.query
    page = get_webhooks().deliveries(call.principal, webhook_id, q.limit, q.cursor)
    return DeliveryListOut(deliveries=[DeliveryOut.of(d) for d in page.items], next_cursor=page.next_cursor)


@endpoint(
    bp,
    "/api/webhooks/{webhook_id}/test",
    "POST",
    summary="Send the endpoint a webhook.ping event now (see its delivery log)",
    tag=TAG,
    status=202,
    response=DeliveryOut,
    errors=(404, 503),
    roles=MANAGE,
)
def test_webhook(call: Call, webhook_id: str) -> DeliveryOut:
    return DeliveryOut.of(get_webhooks().ping(call.principal, webhook_id))
