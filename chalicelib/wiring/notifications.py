"""Notifications: the notification center (every capability's Notifier), the feed, webhooks and delivery."""

from __future__ import annotations

from chalicelib.domain.notifications.delivery import WebhookDispatcher
from chalicelib.domain.notifications.entities import DeliveryPolicy
from chalicelib.domain.notifications.ports import DeliveryTrigger, Resolver, Sender
from chalicelib.domain.notifications.service import NotificationCenter, NotificationService
from chalicelib.domain.notifications.webhooks import WebhookService
from chalicelib.wiring import component, secret_box, settings


@component
def delivery_policy() -> DeliveryPolicy:
    n = settings().notifications
    return DeliveryPolicy(
        retry_seconds=n.retry_seconds,
        timeout_seconds=n.timeout_seconds,
        allow_loopback=n.allow_loopback,
        log_days=n.delivery_log_days,
    )


@component
def resolver() -> Resolver:
    """No DNS lookups in the local and test stages (they talk to this machine only)."""
    from chalicelib.adapters.webhooks.http import LocalResolver, SystemResolver

    return LocalResolver() if settings().is_local else SystemResolver()


@component
def sender() -> Sender:
    from chalicelib.adapters.webhooks.http import PinnedHttpSender

    return PinnedHttpSender(loopback_only=settings().is_local)


@component
def delivery_trigger() -> DeliveryTrigger:
    from chalicelib.adapters.webhooks.triggers import LambdaTrigger, NoTrigger, ThreadTrigger

    current = settings()
    n = current.notifications
    if not n.deliver_immediately:
        return NoTrigger()
    if n.deliver_function:
        return LambdaTrigger(n.deliver_function, current.region)
    if current.is_local:
        return ThreadTrigger(lambda refs: get_dispatcher().deliver(refs))
    return NoTrigger()


@component
def get_dispatcher() -> WebhookDispatcher:
    from chalicelib.store.notifications.webhooks import WebhookRepository

    settings()
    return WebhookDispatcher(WebhookRepository(), resolver(), sender(), secret_box(), delivery_policy())


@component
def notification_center() -> NotificationCenter:
    from chalicelib.store.notifications.repository import NotificationRepository, OrganizationMembers
    from chalicelib.store.notifications.webhooks import WebhookRepository

    n = settings().notifications
    return NotificationCenter(
        NotificationRepository(),
        WebhookRepository(),
        OrganizationMembers(),
        delivery_trigger(),
        notification_days=n.notification_days,
        log_days=n.delivery_log_days,
    )


@component
def get_notifications() -> NotificationService:
    from chalicelib.store.notifications.repository import NotificationRepository

    settings()
    return NotificationService(NotificationRepository())


@component
def get_webhooks() -> WebhookService:
    from chalicelib.store.notifications.webhooks import WebhookRepository

    n = settings().notifications
    return WebhookService(
        WebhookRepository(),
        resolver(),
        secret_box(),
        delivery_trigger(),
        allow_loopback=n.allow_loopback,
        log_days=n.delivery_log_days,
    )
