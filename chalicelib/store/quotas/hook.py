"""ContainerQuota: the quota counters' update, and the limit check, inside the container store's own create,
update and delete transactions (the room pattern of host allocations: ConditionExpression has no arithmetic,
so each growing counter must be at most `limit - delta` before the ADD).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pynamodb.expressions.condition import Condition

from chalicelib.domain.containers.entities import Container
from chalicelib.domain.quotas.entities import (
    OrgQuota,
    Package,
    Usage,
    first_exceeded,
    quota_exceeded,
    usage_of,
)
from chalicelib.domain.shared.errors import Conflict, QuotaExceeded
from chalicelib.store import keys
from chalicelib.store.quotas.models import COUNTERS, QuotaItem
from chalicelib.store.table import Transaction

OPERATION = "quota"  # the transaction operation's name, read back from the cancellation reasons
# Where the organization stands (its package and counters, the counters created when missing).
Standing = Callable[[str], tuple[Package, OrgQuota]]


class ContainerQuota:
    """Counts what containers hold against the organization's package, in the containers' transactions."""

    def __init__(self, standing: Standing) -> None:
        self._standing = standing

    def created(self, tx: Transaction, c: Container) -> Usage:
        return self.claim(tx, c.organization_id, usage_of(c))

    def changed(self, tx: Transaction, old: Container, new: Container) -> Usage:
        return self.claim(tx, new.organization_id, usage_of(new) - usage_of(old))

    def deleted(self, tx: Transaction, c: Container) -> Usage:
        return self.claim(tx, c.organization_id, -usage_of(c))

    def claim(self, tx: Transaction, org_id: str, delta: Usage) -> Usage:
        """Add `delta` to the counters in `tx`; a growing counter only while it stays within its limit.

        Raises QuotaExceeded at once when the counters read now leave no room (the transaction's condition
        is what holds under races). Returns the delta (nothing is added when it is zero)."""
        if delta.is_zero():
            return delta
        condition: Condition = QuotaItem.pk.exists()
        if delta.grows():
            package, quota = self._standing(org_id)
            over = first_exceeded(package.limits, quota.usage, delta)
            if over is not None:
                raise quota_exceeded(over, package.limits, quota.usage, delta)
            limits = package.limits.by_name()
            for name, more in delta.by_name().items():
                limit = limits[name]
                if more > 0 and limit is not None:
                    condition = condition & (COUNTERS[name] <= limit - more)
        actions: list[Any] = [COUNTERS[name].add(more) for name, more in delta.by_name().items() if more]
        tx.update(
            OPERATION, QuotaItem(keys.org_pk(org_id), keys.QUOTA_SK), actions=actions, condition=condition
        )
        return delta

    def refusal(self, org_id: str, delta: Usage, *, last: bool) -> QuotaExceeded | Conflict | None:
        """Why the counters refused `delta`: the limit it goes over now, else None (the counters item was
        missing and is now made, or a concurrent release made room: try again), or Conflict on the `last`
        attempt."""
        package, quota = self._standing(org_id)
        over = first_exceeded(package.limits, quota.usage, delta)
        if over is not None:
            return quota_exceeded(over, package.limits, quota.usage, delta)
        if last:
            return Conflict("The organization's usage kept changing meanwhile; try again.")
        return None
