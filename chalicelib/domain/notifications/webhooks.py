"""An organization's webhook endpoints: register (URL checked against SSRF, secret shown once), list, remove,
read the delivery log, send a test event."""

from __future__ import annotations

import uuid
from datetime import timedelta

from chalicelib.domain.notifications.entities import (
    ALL_EVENTS,
    EVENT_PATTERNS,
    MAX_DESCRIPTION,
    MAX_ENDPOINTS,
    UUID_PATTERN,
    CreatedWebhook,
    Delivery,
    WebhookEndpoint,
    WebhookRequest,
    secret_context,
)
from chalicelib.domain.notifications.ports import DeliveryTrigger, Resolver, WebhookStore
from chalicelib.domain.notifications.service import queue_event
from chalicelib.domain.notifications.signing import new_secret
from chalicelib.domain.notifications.ssrf import check
from chalicelib.domain.shared.clock import Clock, utcnow
from chalicelib.domain.shared.errors import Conflict, NotFound, ValidationFailed
from chalicelib.domain.shared.notices import Notice
from chalicelib.domain.shared.paging import Page
from chalicelib.domain.shared.principal import Principal
from chalicelib.domain.shared.secrets import SecretBox


class WebhookService:
    """Raises UnsafeUrl (400 `url`), ValidationFailed, Conflict (too many endpoints) and NotFound."""

    def __init__(
        self,
        store: WebhookStore,
        resolver: Resolver,
        secrets: SecretBox,
        trigger: DeliveryTrigger,
        *,
        allow_loopback: bool = False,
        log_days: int = 30,
        clock: Clock = utcnow,
    ) -> None:
        self._store = store
        self._resolver = resolver
        self._secrets = secrets
        self._trigger = trigger
        self._log_for = timedelta(days=log_days)
        self._allow_loopback = allow_loopback
        self._clock = clock

    def list(self, p: Principal) -> list[WebhookEndpoint]:
        return sorted(self._store.endpoints(p.organization_id), key=lambda e: (e.created_at, e.id))

    def create(self, p: Principal, request: WebhookRequest) -> CreatedWebhook:
        events = _events(request.events)
        if len(request.description) > MAX_DESCRIPTION:
            raise ValidationFailed("The description is too long.", details={"field": "description"})
        check(request.url, self._resolver.resolve, allow_loopback=self._allow_loopback)
        if len(self._store.endpoints(p.organization_id)) >= MAX_ENDPOINTS:
            raise Conflict(f"An organization may have at most {MAX_ENDPOINTS} webhook endpoints.")
        endpoint_id = str(uuid.uuid4())
        secret = new_secret()
        endpoint = WebhookEndpoint(
            id=endpoint_id,
            organization_id=p.organization_id,
            url=request.url,
            events=events,
            description=request.description,
            secret_encrypted=self._secrets.encrypt(secret, secret_context(p.organization_id, endpoint_id)),
            created_at=self._clock(),
            created_by=p.user_id,
        )
        self._store.add_endpoint(endpoint)
        return CreatedWebhook(endpoint, secret)

    def get(self, p: Principal, endpoint_id: str) -> WebhookEndpoint:
        return self._store.endpoint(p.organization_id, _known(endpoint_id))

    def remove(self, p: Principal, endpoint_id: str) -> None:
        """Deliveries still queued for it are dropped when their turn comes; its log expires."""
        self._store.remove_endpoint(p.organization_id, _known(endpoint_id))

    def deliveries(self, p: Principal, endpoint_id: str, limit: int, cursor: str | None) -> Page[Delivery]:
        self.get(p, endpoint_id)  # NotFound for another organization's
        return self._store.deliveries(p.organization_id, endpoint_id, limit, cursor)

    def ping(self, p: Principal, endpoint_id: str) -> Delivery:
        """Send this endpoint (whatever it subscribes to) a `webhook.ping` event now; its delivery."""
        endpoint = self.get(p, endpoint_id)
        notice = Notice(
            organization_id=p.organization_id,
            kind="webhook.ping",
            title="Test event",
            body="A test event sent from the webhooks page.",
            resource_type="webhook",
            resource_id=endpoint.id,
            data={"requested_by": p.user_id},
        )
        [ref] = queue_event(self._store, self._trigger, notice, [endpoint], self._clock(), self._log_for)
        return self._store.delivery(ref)


def _known(endpoint_id: str) -> str:
    """Endpoint ids are uuid4s: anything else is not found (and never reaches the store as a key)."""
    if not UUID_PATTERN.match(endpoint_id):
        raise NotFound(f"Webhook {endpoint_id[:40]} was not found.")
    return endpoint_id


def _events(events: tuple[str, ...]) -> tuple[str, ...]:
    """Known patterns, without repeats; "*" alone when it is among them."""
    unknown = [e for e in events if e not in EVENT_PATTERNS]
    if unknown:
        raise ValidationFailed(f"Unknown event kind {unknown[0]!r}.", details={"field": "events"})
    if not events:
        raise ValidationFailed(
            "Subscribe to at least one kind of event (or '*').", details={"field": "events"}
        )
    if ALL_EVENTS in events:
        return (ALL_EVENTS,)
    return tuple(dict.fromkeys(events))
