"""Linode API v4 JSON objects → the port's values (pure functions: the unit tests feed Linode's own fixtures).

Prices: Linode reports dollars as JSON numbers (0.0075 an hour); the port wants whole cents, rounded up so a
resold price never undercuts what Linode charges us. Timestamps are UTC without a zone
("2017-01-01T00:00:00").
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from chalicelib.domain.vps.ports import (
    InstanceStatus,
    ProviderEvent,
    ProviderInstance,
    ProviderRegion,
    ProviderType,
)

# Linode's instance statuses → the port's; anything else (cloning, resizing, restoring, ...) is "other".
STATUSES: dict[str, InstanceStatus] = {
    "provisioning": "provisioning",
    "booting": "booting",
    "running": "running",
    "shutting_down": "shutting_down",
    "offline": "offline",
    "stopped": "offline",
    "rebooting": "rebooting",
    "deleting": "deleting",
    "migrating": "migrating",
}


def dollars_to_cents(value: object) -> int:
    """Dollars (a JSON number or numeric string) as whole cents, rounded up; nothing or nonsense is 0."""
    if isinstance(value, bool) or value is None:
        return 0
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return 0
    if not amount.is_finite() or amount <= 0:
        return 0
    return math.ceil(amount * 100)


def timestamp(value: object) -> datetime | None:
    """Linode's "2017-01-01T00:00:00" (UTC, no zone) as an aware datetime; None when absent or unreadable."""
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _int(value: object) -> int:
    return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0


def _text(value: object) -> str:
    return "" if value is None else str(value)


def provider_type(raw: Mapping[str, Any]) -> ProviderType:
    """A Linode type (GET /v4/linode/types): its base price, not a region's (`region_prices`)."""
    price = raw.get("price") or {}
    return ProviderType(
        id=_text(raw.get("id")),
        label=_text(raw.get("label")),
        vcpus=_int(raw.get("vcpus")),
        memory_mb=_int(raw.get("memory")),
        disk_mb=_int(raw.get("disk")),
        transfer_mb=_int(raw.get("transfer")),
        hourly_cents=dollars_to_cents(price.get("hourly")),
        monthly_cents=dollars_to_cents(price.get("monthly")),
    )


def region(raw: Mapping[str, Any]) -> ProviderRegion:
    return ProviderRegion(
        id=_text(raw.get("id")),
        label=_text(raw.get("label")),
        country=_text(raw.get("country")),
        status=_text(raw.get("status")) or "ok",
    )


def status(value: object) -> InstanceStatus:
    return STATUSES.get(_text(value), "other")


def instance(raw: Mapping[str, Any]) -> ProviderInstance:
    """A Linode (GET /v4/linode/instances/{id})."""
    return ProviderInstance(
        id=_text(raw.get("id")),
        label=_text(raw.get("label")),
        status=status(raw.get("status")),
        region=_text(raw.get("region")),
        type_id=_text(raw.get("type")),
        ipv4=tuple(str(address) for address in raw.get("ipv4") or ()),
        ipv6=raw.get("ipv6") or None,
        tags=tuple(str(tag) for tag in raw.get("tags") or ()),
        created=timestamp(raw.get("created")),
    )


def event(raw: Mapping[str, Any]) -> ProviderEvent:
    """An account event (GET /v4/account/events): what happened to which entity."""
    entity = raw.get("entity") or {}
    entity_id = entity.get("id")
    return ProviderEvent(
        id=_int(raw.get("id")),
        action=_text(raw.get("action")),
        status=_text(raw.get("status")),
        entity_type=entity.get("type") or None,
        entity_id=None if entity_id is None else str(entity_id),
        created=timestamp(raw.get("created")),
    )
