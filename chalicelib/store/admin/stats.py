"""Platform counters, kept incrementally so the admin figures cost two Queries, never a Scan.

Each counter is moved inside the transaction that changes what it counts, so it is exact: sign-up
(users, organizations), a container's writes (running containers: the record's status), and every ledger
posting (money by entry kind, per month, for the platform and for the organization). Platform counters are
spread over 16 shard items (STATS#TOTAL / SHARD#<n>, STATS#<YYYY-MM> / SHARD#<n>) so concurrent
transactions rarely touch the same item; a read sums the shards.
"""

from __future__ import annotations

import random
import zlib
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from pynamodb.attributes import NumberAttribute
from pynamodb.exceptions import DoesNotExist
from pynamodb.expressions.operand import Path

from chalicelib.domain.admin.ports import Totals
from chalicelib.domain.billing.entities import Posting
from chalicelib.domain.containers.entities import RUNNING, Container
from chalicelib.domain.shared.tenancy import tenant_scope
from chalicelib.store import keys
from chalicelib.store.admin import keys as adkeys
from chalicelib.store.table import Item, Transaction, store_call

STATS_SHARDS = 16
MONEY_KINDS = ("topup", "usage", "refund", "adjustment", "charge")


class StatsItem(Item, discriminator="stats"):
    users = NumberAttribute(null=True)
    organizations = NumberAttribute(null=True)
    running_containers = NumberAttribute(null=True)
    topup_cents = NumberAttribute(null=True)
    usage_cents = NumberAttribute(null=True)
    refund_cents = NumberAttribute(null=True)
    adjustment_cents = NumberAttribute(null=True)
    charge_cents = NumberAttribute(null=True)


def _shard(text: str) -> int:
    return zlib.crc32(text.encode()) % STATS_SHARDS


def _add(tx: Transaction, name: str, pk: str, sk: str, now: datetime, amounts: dict[str, int]) -> None:
    """ADD each amount to the counter item (created on first use)."""
    actions: list[Any] = [
        Path("type").set("stats"),
        StatsItem.created_at.set(StatsItem.created_at | now),
        StatsItem.updated_at.set(now),
    ]
    actions += [getattr(StatsItem, field).add(value) for field, value in amounts.items() if value]
    tx.update(name, StatsItem(pk, sk), actions=actions)


def count_sign_up(tx: Transaction, now: datetime) -> None:
    """One more user and organization (inside the sign-up transaction)."""
    shard = random.randrange(STATS_SHARDS)  # spreading writes, not a secret
    _add(
        tx,
        "stats",
        adkeys.STATS_TOTAL_PK,
        adkeys.stats_shard_sk(shard),
        now,
        {"users": 1, "organizations": 1},
    )


def count_running(tx: Transaction, old: Container | None, new: Container | None, now: datetime) -> None:
    """Move the running-containers counter when a container write changes whether it is running."""
    delta = int(new is not None and new.status == RUNNING) - int(old is not None and old.status == RUNNING)
    if delta == 0:
        return
    container = new or old
    assert container is not None
    sk = adkeys.stats_shard_sk(_shard(container.id))
    _add(tx, "stats", adkeys.STATS_TOTAL_PK, sk, now, {"running_containers": delta})


def count_postings(tx: Transaction, org_id: str, postings: Sequence[Posting], now: datetime) -> None:
    """Money moved by kind this month, for the platform (the organization's shard) and the organization."""
    amounts: dict[str, int] = {}
    for posting in postings:
        if posting.kind not in MONEY_KINDS:  # a VPS hold and its return are not money earned or spent
            continue
        field = f"{posting.kind}_cents"
        amounts[field] = amounts.get(field, 0) + posting.amount_cents
    if not any(amounts.values()):
        return
    month = now.strftime("%Y-%m")
    shard = adkeys.stats_shard_sk(_shard(org_id))
    _add(tx, "stats", adkeys.stats_month_pk(month), shard, now, amounts)
    _add(tx, "org-stats", keys.org_pk(org_id), adkeys.org_stats_sk(month), now, amounts)


def _money(item: StatsItem) -> dict[str, int]:
    return {kind: int(getattr(item, f"{kind}_cents") or 0) for kind in MONEY_KINDS}


def _shards(pk: str) -> list[StatsItem]:
    return [item for item in StatsItem.query(pk) if isinstance(item, StatsItem)]


class StatsRepository:
    """Reads of the counters: one Query per partition of shards, one GetItem for an organization's month."""

    @store_call
    def totals(self) -> Totals:
        items = _shards(adkeys.STATS_TOTAL_PK)
        return Totals(
            users=sum(int(i.users or 0) for i in items),
            organizations=sum(int(i.organizations or 0) for i in items),
            running_containers=sum(int(i.running_containers or 0) for i in items),
        )

    @store_call
    def month(self, month: str) -> dict[str, int]:
        money = dict.fromkeys(MONEY_KINDS, 0)
        for item in _shards(adkeys.stats_month_pk(month)):
            for kind, cents in _money(item).items():
                money[kind] += cents
        return money

    @store_call
    def organization_month(self, org_id: str, month: str) -> dict[str, int]:
        try:
            with tenant_scope(org_id):
                item = StatsItem.get(keys.org_pk(org_id), adkeys.org_stats_sk(month))
        except DoesNotExist:
            return dict.fromkeys(MONEY_KINDS, 0)
        return _money(item)
