"""Meters: one item per metered resource (ORG#o / METER#<resource>), found by the billing run through the
sharded gsi1 partitions BILLABLE#<n>.

`ContainerMeter` is the extension point the container store calls inside its own create, resize and delete
transactions, so a resource created and deleted between two billing runs is still charged.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from pynamodb.expressions.operand import Path

from chalicelib.domain.billing.entities import Meter, MeterCharge, MeterUsage
from chalicelib.domain.billing.standing import SUSPENDED
from chalicelib.domain.containers.entities import Container
from chalicelib.domain.shared.clock import utcnow
from chalicelib.domain.shared.errors import PaymentRequired
from chalicelib.store import keys
from chalicelib.store.billing import keys as bkeys
from chalicelib.store.billing.models import BillingStateItem, MeterItem, UsageChange
from chalicelib.store.table import Item, Transaction


def meter_of(item: MeterItem) -> Meter:
    return Meter(
        organization_id=item.organization_id or "",
        resource_id=item.resource_id or "",
        kind=item.kind or "container",
        name=item.name or "",
        changes=tuple(
            MeterUsage(
                at=c.at,
                cpu_millis=int(c.cpu_millis or 0),
                memory_bytes=int(c.memory_bytes or 0),
                storage_bytes=int(c.storage_bytes or 0),
                hourly_micros=int(c.hourly_micros) if c.hourly_micros is not None else None,
            )
            for c in item.changes or []
        ),
        ended_at=item.ended_at,
        billed_until=item.billed_until,
        carry_micros=int(item.carry_micros or 0),
    )


def _usage(c: Container, at: datetime) -> UsageChange:
    return UsageChange(
        at=at,
        cpu_millis=c.resources.cpu_millis * c.replicas,
        memory_bytes=c.resources.memory_bytes * c.replicas,
        storage_bytes=(c.resources.storage_bytes or 0) * c.replicas,
    )


def _identity(c: Container, now: datetime) -> list[Any]:
    """SET actions that make a meter item whole even when it did not exist (resources older than billing)."""
    return [
        Path("type").set("meter"),
        MeterItem.organization_id.set(c.organization_id),
        MeterItem.resource_id.set(c.id),
        MeterItem.kind.set("container"),
        MeterItem.name.set(c.name),
        MeterItem.gsi1pk.set(bkeys.billable_gsi_pk(bkeys.shard_of(c.organization_id))),
        MeterItem.gsi1sk.set(bkeys.billable_gsi_sk(c.organization_id, c.id)),
        MeterItem.created_at.set(MeterItem.created_at | now),
        MeterItem.updated_at.set(now),
    ]


class ContainerMeter:
    """Adds a container's meter writes (and the suspension check) to the container store's transactions."""

    def __init__(self, clock: Callable[[], datetime] = utcnow) -> None:
        self._clock = clock

    def created(self, tx: Transaction, c: Container) -> None:
        """The meter starts with the container; a suspended organization cannot create (`billing` fails)."""
        tx.check(
            "billing",
            BillingStateItem,
            keys.org_pk(c.organization_id),
            bkeys.BILLING_SK,
            condition=BillingStateItem.suspended_at.does_not_exist(),
        )
        tx.save(
            "meter",
            MeterItem(
                keys.org_pk(c.organization_id),
                bkeys.meter_sk(c.id),
                gsi1pk=bkeys.billable_gsi_pk(bkeys.shard_of(c.organization_id)),
                gsi1sk=bkeys.billable_gsi_sk(c.organization_id, c.id),
                organization_id=c.organization_id,
                resource_id=c.id,
                kind="container",
                name=c.name,
                changes=[_usage(c, c.created_at)],
                created_at=c.created_at,
                updated_at=c.created_at,
            ),
            condition=Item.pk.does_not_exist(),
        )

    def resized(self, tx: Transaction, new: Container) -> None:
        """From now on the resource is metered at its new size."""
        now = self._clock()
        tx.update(
            "meter",
            MeterItem(keys.org_pk(new.organization_id), bkeys.meter_sk(new.id)),
            actions=[
                *_identity(new, now),
                MeterItem.changes.set((MeterItem.changes | []).append([_usage(new, now)])),
            ],
        )

    def deleted(self, tx: Transaction, c: Container) -> None:
        """The meter ends now; the next billing run charges up to here and removes it."""
        now = self._clock()
        tx.update(
            "meter",
            MeterItem(keys.org_pk(c.organization_id), bkeys.meter_sk(c.id)),
            actions=[
                *_identity(c, now),
                MeterItem.changes.set(MeterItem.changes | [_usage(c, now)]),
                MeterItem.ended_at.set(MeterItem.ended_at | now),
            ],
        )

    @staticmethod
    def refusal(failed: set[str]) -> PaymentRequired | None:
        """The error to raise when the create transaction failed because the organization is suspended."""
        return PaymentRequired(SUSPENDED) if "billing" in failed else None


def advance_meter(tx: Transaction, charge: MeterCharge, now: datetime) -> None:
    """Move a meter to the end of its charge (or remove it when its resource is gone and fully billed), only
    if no other run billed it meanwhile."""
    meter = charge.meter
    item = MeterItem(keys.org_pk(meter.organization_id), bkeys.meter_sk(meter.resource_id))
    seen = (
        MeterItem.billed_until == meter.billed_until
        if meter.billed_until is not None
        else MeterItem.billed_until.does_not_exist()
    )
    name = f"meter:{meter.resource_id}"
    if charge.finished:
        tx.delete(name, item, condition=seen & MeterItem.ended_at.exists())
        return
    tx.update(
        name,
        item,
        actions=[
            MeterItem.billed_until.set(charge.end),
            MeterItem.carry_micros.set(charge.carry_micros),
            MeterItem.updated_at.set(now),
        ],
        condition=seen & MeterItem.pk.exists(),
    )


class MeterRepository:
    """Reads of the meters (the billing run writes them through LedgerRepository.post)."""

    def of_org(self, org_id: str) -> list[Meter]:
        return [
            meter_of(item)
            for item in MeterItem.query(
                keys.org_pk(org_id), MeterItem.sk.startswith(bkeys.METER_PREFIX), consistent_read=True
            )
            if isinstance(item, MeterItem)
        ]

    def billable(
        self, shard: int, after_org: str | None, max_orgs: int
    ) -> tuple[dict[str, list[Meter]], str | None]:
        condition = Item.gsi1sk > f"{keys.ORG_PREFIX}{after_org}#~" if after_org else None
        found: dict[str, list[Meter]] = {}
        for item in Item.by_host.query(bkeys.billable_gsi_pk(shard), range_key_condition=condition):
            if not isinstance(item, MeterItem) or not item.organization_id:
                continue
            org = item.organization_id
            if org not in found and len(found) == max_orgs:
                return found, list(found)[-1]
            found.setdefault(org, []).append(meter_of(item))
        return found, None
