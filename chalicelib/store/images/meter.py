"""The image's billing meter (ORG#o / METER#<image id>, kind `image`): its size is billed as storage per
GiB-month by the hourly billing run, like a container's storage. Written inside the image's own transactions:
started when it becomes ready (counts in the usage), ended when it is deleted or stops counting."""

from __future__ import annotations

from datetime import datetime

from chalicelib.domain.images.entities import Image
from chalicelib.store import keys
from chalicelib.store.billing import keys as bkeys
from chalicelib.store.billing.models import MeterItem, UsageChange
from chalicelib.store.table import Item, Transaction

KIND = "image"


def _ref(image: Image) -> MeterItem:
    return MeterItem(keys.org_pk(image.organization_id), bkeys.meter_sk(image.id))


def start(tx: Transaction, image: Image, at: datetime) -> None:
    tx.save(
        "meter",
        MeterItem(
            keys.org_pk(image.organization_id),
            bkeys.meter_sk(image.id),
            gsi1pk=bkeys.billable_gsi_pk(bkeys.shard_of(image.organization_id)),
            gsi1sk=bkeys.billable_gsi_sk(image.organization_id, image.id),
            organization_id=image.organization_id,
            resource_id=image.id,
            kind=KIND,
            name=image.reference,
            changes=[UsageChange(at=at, storage_bytes=image.held_bytes)],
            created_at=at,
            updated_at=at,
        ),
        condition=Item.pk.does_not_exist(),
    )


def end(tx: Transaction, image: Image, at: datetime) -> None:
    """The next billing run charges up to `at` and removes the meter."""
    tx.update(
        "meter",
        _ref(image),
        actions=[MeterItem.ended_at.set(MeterItem.ended_at | at), MeterItem.updated_at.set(at)],
        condition=Item.pk.exists(),
    )
