"""Notification and webhook items: endpoints in the main table; notifications, delivery logs and the delivery
queue in the ephemeral table (TTL `expires`; reads treat an expired item as gone)."""

from __future__ import annotations

from pynamodb.attributes import (
    JSONAttribute,
    ListAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
)

from chalicelib.store.table import EphemeralItem, Item


class _Ephemeral(EphemeralItem):
    """An ephemeral record without the login counters' attributes (they would be written as 0)."""

    failures = NumberAttribute(null=True)
    window_start = NumberAttribute(null=True)


class NotificationItem(_Ephemeral):
    id = UnicodeAttribute()
    kind = UnicodeAttribute()
    title = UnicodeAttribute()
    body = UnicodeAttribute(null=True)
    resource_type = UnicodeAttribute(null=True)
    resource_id = UnicodeAttribute(null=True)
    created_at = UTCDateTimeAttribute()
    read_at = UTCDateTimeAttribute(null=True)


class ReadMarkItem(_Ephemeral):
    """Everything in the partition with an id below `read_before` is read (mark all read)."""

    read_before = UnicodeAttribute()


class DeliveryItem(_Ephemeral):
    id = UnicodeAttribute()
    organization_id = UnicodeAttribute()
    endpoint_id = UnicodeAttribute()
    event_id = UnicodeAttribute()
    kind = UnicodeAttribute()
    body = UnicodeAttribute()
    status = UnicodeAttribute()
    attempt_count = NumberAttribute()
    attempts = JSONAttribute(null=True)
    next_attempt_at = UTCDateTimeAttribute(null=True)
    delivered_at = UTCDateTimeAttribute(null=True)
    final_error = UnicodeAttribute(null=True)
    created_at = UTCDateTimeAttribute()


class QueueItem(_Ephemeral):
    """A delivery waiting for its next attempt; one worker holds it at a time (`claim`, `claimed_until`)."""

    organization_id = UnicodeAttribute()
    endpoint_id = UnicodeAttribute()
    delivery_id = UnicodeAttribute()
    claim = UnicodeAttribute(null=True)
    claimed_until = NumberAttribute(null=True)


class WebhookItem(Item, discriminator="webhook"):
    id = UnicodeAttribute()
    organization_id = UnicodeAttribute()
    url = UnicodeAttribute()
    events = ListAttribute(of=UnicodeAttribute)
    description = UnicodeAttribute(null=True)
    secret_encrypted = UnicodeAttribute()
    created_by = UnicodeAttribute()
