"""WebhookRepository: endpoints (main table), each endpoint's delivery log and the sharded queue of due
deliveries (ephemeral table)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from pynamodb.exceptions import DeleteError, DoesNotExist, UpdateError

from chalicelib.domain.notifications.entities import (
    PENDING,
    Attempt,
    Delivery,
    DeliveryRef,
    DeliveryStatus,
    WebhookEndpoint,
)
from chalicelib.domain.shared.errors import NotFound
from chalicelib.domain.shared.paging import Page
from chalicelib.store import keys
from chalicelib.store.cursor import decode_cursor, encode_cursor
from chalicelib.store.notifications import keys as nkeys
from chalicelib.store.notifications.models import DeliveryItem, QueueItem, WebhookItem
from chalicelib.store.table import Item, TransactionCancelled, is_condition_failure, store_call, transaction

QUEUE_GRACE = timedelta(days=2)  # a queue entry outlives its due time by this much (TTL backstop)


def stamp(moment: datetime) -> str:
    """Fixed-width UTC time: lexical order is time order."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _endpoint(item: WebhookItem) -> WebhookEndpoint:
    return WebhookEndpoint(
        id=item.id,
        organization_id=item.organization_id,
        url=item.url,
        events=tuple(str(e) for e in item.events or ()),
        description=item.description or "",
        secret_encrypted=item.secret_encrypted,
        created_at=item.created_at,
        created_by=item.created_by,
    )


def _attempts(raw: Any) -> tuple[Attempt, ...]:
    return tuple(
        Attempt(
            number=int(a["number"]),
            at=datetime.fromisoformat(a["at"]),
            status_code=a.get("status_code"),
            error=a.get("error"),
            duration_ms=int(a.get("duration_ms") or 0),
        )
        for a in raw or []
    )


def _delivery(item: DeliveryItem) -> Delivery:
    return Delivery(
        id=item.id,
        organization_id=item.organization_id,
        endpoint_id=item.endpoint_id,
        event_id=item.event_id,
        kind=item.kind,
        body=item.body,
        status=cast(DeliveryStatus, item.status),
        created_at=item.created_at,
        attempts=_attempts(item.attempts),
        next_attempt_at=item.next_attempt_at,
        delivered_at=item.delivered_at,
        final_error=item.final_error,
    )


def _delivery_item(d: Delivery, expires: datetime) -> DeliveryItem:
    return DeliveryItem(
        nkeys.delivery_log_pk(d.organization_id, d.endpoint_id),
        d.id,
        id=d.id,
        organization_id=d.organization_id,
        endpoint_id=d.endpoint_id,
        event_id=d.event_id,
        kind=d.kind,
        body=d.body,
        status=d.status,
        attempt_count=len(d.attempts),
        attempts=[
            {
                "number": a.number,
                "at": a.at.isoformat(),
                "status_code": a.status_code,
                "error": a.error,
                "duration_ms": a.duration_ms,
            }
            for a in d.attempts
        ],
        next_attempt_at=d.next_attempt_at if d.status == PENDING else None,
        delivered_at=d.delivered_at,
        final_error=d.final_error,
        created_at=d.created_at,
        expires=expires,
    )


def _queue_item(d: Delivery, due: datetime) -> QueueItem:
    return QueueItem(
        nkeys.webhook_queue_pk(nkeys.queue_shard(d.id)),
        nkeys.queue_sk(stamp(due), d.id),
        organization_id=d.organization_id,
        endpoint_id=d.endpoint_id,
        delivery_id=d.id,
        expires=due + QUEUE_GRACE,
    )


def _ref(item: QueueItem) -> DeliveryRef:
    return DeliveryRef(item.organization_id, item.endpoint_id, item.delivery_id, item.sk)


class WebhookRepository:
    """Implements WebhookStore."""

    @store_call
    def endpoints(self, org_id: str) -> list[WebhookEndpoint]:
        result = WebhookItem.query(keys.org_pk(org_id), WebhookItem.sk.startswith(nkeys.WEBHOOK_PREFIX))
        return [_endpoint(item) for item in result if isinstance(item, WebhookItem)]

    @store_call
    def endpoint(self, org_id: str, endpoint_id: str) -> WebhookEndpoint:
        try:
            item = WebhookItem.get(keys.org_pk(org_id), nkeys.webhook_sk(endpoint_id), consistent_read=True)
        except DoesNotExist as exc:
            raise NotFound(f"Webhook {endpoint_id} was not found.") from exc
        if not isinstance(item, WebhookItem):
            raise NotFound(f"Webhook {endpoint_id} was not found.")
        return _endpoint(item)

    @store_call
    def add_endpoint(self, endpoint: WebhookEndpoint) -> None:
        WebhookItem(
            keys.org_pk(endpoint.organization_id),
            nkeys.webhook_sk(endpoint.id),
            id=endpoint.id,
            organization_id=endpoint.organization_id,
            url=endpoint.url,
            events=list(endpoint.events),
            description=endpoint.description or None,
            secret_encrypted=endpoint.secret_encrypted,
            created_by=endpoint.created_by,
            created_at=endpoint.created_at,
            updated_at=endpoint.created_at,
        ).save(condition=Item.pk.does_not_exist())

    @store_call
    def remove_endpoint(self, org_id: str, endpoint_id: str) -> None:
        try:
            WebhookItem(keys.org_pk(org_id), nkeys.webhook_sk(endpoint_id)).delete(
                condition=WebhookItem.pk.exists()
            )
        except DeleteError as exc:
            if is_condition_failure(exc):
                raise NotFound(f"Webhook {endpoint_id} was not found.") from exc
            raise

    @store_call
    def add_deliveries(self, deliveries: list[Delivery], expires: datetime) -> list[DeliveryRef]:
        refs: list[DeliveryRef] = []
        with DeliveryItem.batch_write() as batch:
            for d in deliveries:
                due = d.next_attempt_at or d.created_at
                queued = _queue_item(d, due)
                batch.save(_delivery_item(d, expires))
                batch.save(queued)
                refs.append(_ref(queued))
        return refs

    @store_call
    def delivery(self, ref: DeliveryRef) -> Delivery:
        try:
            item = DeliveryItem.get(
                nkeys.delivery_log_pk(ref.organization_id, ref.endpoint_id),
                ref.delivery_id,
                consistent_read=True,
            )
        except DoesNotExist as exc:
            raise NotFound(f"Delivery {ref.delivery_id} was not found.") from exc
        return _delivery(item)

    @store_call
    def deliveries(self, org_id: str, endpoint_id: str, limit: int, cursor: str | None) -> Page[Delivery]:
        partition = nkeys.delivery_log_pk(org_id, endpoint_id)
        result = DeliveryItem.query(
            partition,
            filter_condition=DeliveryItem.expires > datetime.now(UTC),
            scan_index_forward=False,
            limit=limit,
            page_size=limit,
            last_evaluated_key=decode_cursor(cursor, partition),
        )
        items = [_delivery(item) for item in result]
        return Page(items=items, next_cursor=encode_cursor(result.last_evaluated_key))

    @store_call
    def due(self, now: datetime, limit: int) -> list[DeliveryRef]:
        epoch = int(now.timestamp())
        free = QueueItem.claimed_until.does_not_exist() | (QueueItem.claimed_until < epoch)
        found: list[QueueItem] = []
        for shard in range(nkeys.QUEUE_SHARDS):
            found += QueueItem.query(
                nkeys.webhook_queue_pk(shard),
                QueueItem.sk <= f"{stamp(now)}#~",
                filter_condition=free & (QueueItem.expires > now),
                limit=limit,
                page_size=limit,
            )
        found.sort(key=lambda item: item.sk)
        return [_ref(item) for item in found[:limit]]

    @store_call
    def claim(self, ref: DeliveryRef, now: datetime, until: datetime) -> str | None:
        token = uuid.uuid4().hex
        item = QueueItem(nkeys.webhook_queue_pk(nkeys.queue_shard(ref.delivery_id)), ref.queue_key)
        try:
            item.update(
                actions=[QueueItem.claim.set(token), QueueItem.claimed_until.set(int(until.timestamp()))],
                condition=QueueItem.pk.exists()
                & (
                    QueueItem.claimed_until.does_not_exist()
                    | (QueueItem.claimed_until < int(now.timestamp()))
                ),
            )
        except UpdateError as exc:
            if is_condition_failure(exc):
                return None
            raise
        return token

    @store_call
    def settle(
        self, ref: DeliveryRef, token: str, before: Delivery, after: Delivery, expires: datetime
    ) -> bool:
        held = QueueItem(nkeys.webhook_queue_pk(nkeys.queue_shard(ref.delivery_id)), ref.queue_key)
        try:
            with transaction() as tx:
                tx.delete("hold", held, condition=QueueItem.claim == token)
                if after != before:
                    tx.save(
                        "log",
                        _delivery_item(after, expires),
                        condition=DeliveryItem.attempt_count == len(before.attempts),
                    )
                    if after.status == PENDING and after.next_attempt_at is not None:
                        tx.save(
                            "next",
                            _queue_item(after, after.next_attempt_at),
                            condition=QueueItem.pk.does_not_exist(),
                        )
        except TransactionCancelled:
            return False
        return True
