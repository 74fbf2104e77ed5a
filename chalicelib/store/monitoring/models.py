"""Monitoring items: samples, snapshots and alert events in the ephemeral table (TTL `expires`); alert rules
and scrape tokens in the main table."""

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


class SampleItem(_Ephemeral):
    """One container-minute; `v` = cpu %,memory used,memory limit,rx,tx,block read,block write (compact: a
    month of minutes is 43,200 items per container)."""

    v = UnicodeAttribute()


class SnapshotItem(_Ephemeral):
    """The collector's latest view of an organization (or of the hosts), as JSON."""

    at = UTCDateTimeAttribute()
    data = JSONAttribute()


class AlertEventItem(_Ephemeral):
    id = UnicodeAttribute()
    rule_id = UnicodeAttribute()
    rule_name = UnicodeAttribute()
    subject = UnicodeAttribute()
    state = UnicodeAttribute()
    message = UnicodeAttribute()
    value = NumberAttribute(null=True)
    at = UTCDateTimeAttribute()
    resolved_at = UTCDateTimeAttribute(null=True)


class AlertRuleItem(Item, discriminator="alert_rule"):
    id = UnicodeAttribute()
    organization_id = UnicodeAttribute()
    name = UnicodeAttribute()
    kind = UnicodeAttribute()
    metric = UnicodeAttribute(null=True)
    comparator = UnicodeAttribute(null=True)
    threshold = NumberAttribute(null=True)
    duration_minutes = NumberAttribute()
    event = UnicodeAttribute(null=True)
    container_id = UnicodeAttribute(null=True)
    emails = ListAttribute(of=UnicodeAttribute, null=True)
    created_by = UnicodeAttribute()
    firing = JSONAttribute(null=True)
    version = NumberAttribute(default=1)


class ScrapeTokenItem(Item, discriminator="scrape_token"):
    id = UnicodeAttribute()
    organization_id = UnicodeAttribute()
    name = UnicodeAttribute()
    prefix = UnicodeAttribute()
    secret_hash = UnicodeAttribute()
    created_by = UnicodeAttribute()


class ScrapeTokenRefItem(Item, discriminator="scrape_token_ref"):
    """The lookup by hash: which organization a presented token belongs to."""

    token_id = UnicodeAttribute()
    organization_id = UnicodeAttribute()
