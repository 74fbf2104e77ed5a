"""AuditRepository: the append-only trail. It writes each entry once (PutItem on condition that no item has
its key) and reads ranges of it; there is no method that updates or deletes an entry, and in AWS the roles
are denied UpdateItem, DeleteItem and BatchWriteItem on audit partitions (infra/access.py).
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from pynamodb.exceptions import DoesNotExist, PutError

from chalicelib.domain.audit.entities import AuditEntry, AuditQuery
from chalicelib.domain.audit.ports import Slice
from chalicelib.domain.audit.positions import ceiling_id, floor_id, id_before, time_of
from chalicelib.domain.shared.errors import Conflict
from chalicelib.domain.shared.tenancy import tenant_scope
from chalicelib.store import keys
from chalicelib.store.accounts.models import UserItem
from chalicelib.store.audit import keys as akeys
from chalicelib.store.audit.models import AuditItem
from chalicelib.store.table import Item, is_condition_failure, store_call

FILTERED_PAGE = 200  # items read per request when filters may leave most of them out
MAX_PAGE = 500
Fetch = Callable[[str, int], list[AuditItem]]  # (highest id wanted, how many) -> items, newest first


def entry_of(item: AuditItem) -> AuditEntry:
    return AuditEntry(
        id=item.id,
        at=item.created_at,
        action=item.action,
        actor_id=item.actor_id,
        actor_email=item.actor_email,
        organization_id=item.organization_id,
        target_type=item.target_type,
        target_id=item.target_id,
        ip=item.ip,
        before=dict(item.before) if item.before is not None else None,
        after=dict(item.after) if item.after is not None else None,
    )


def _day(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d")


class AuditRepository:
    """Audit entries: ORG#<org>#AUDIT (or AUDIT#<day>) / AUDIT#<ulid>, gsi1 AUDIT#<day> / <ulid>."""

    @store_call
    def append(self, entry: AuditEntry) -> None:
        """One PutItem on condition attribute_not_exists(pk): an entry is never overwritten."""
        day = _day(entry.at)
        org = entry.organization_id
        item = AuditItem(
            akeys.org_audit_pk(org) if org else akeys.platform_audit_pk(day),
            akeys.audit_sk(entry.id),
            gsi1pk=akeys.audit_day_gsi_pk(day),
            gsi1sk=entry.id,
            id=entry.id,
            action=entry.action,
            actor_id=entry.actor_id,
            actor_email=entry.actor_email,
            organization_id=org,
            target_type=entry.target_type,
            target_id=entry.target_id,
            ip=entry.ip,
            before=entry.before,
            after=entry.after,
            created_at=entry.at,
            updated_at=entry.at,
        )
        try:
            with tenant_scope(org) if org else nullcontext():
                item.save(condition=Item.pk.does_not_exist())
        except PutError as exc:
            if is_condition_failure(exc):
                raise Conflict(f"Audit entry {entry.id} exists; entries are never overwritten.") from exc
            raise

    @store_call
    def of_organization(
        self, org_id: str, query: AuditQuery, low: datetime, below: str, want: int, reads: int
    ) -> Slice:
        """Queries of the organization's partition, sk BETWEEN AUDIT#<floor(low)> AND AUDIT#<below>."""
        partition = akeys.org_audit_pk(org_id)
        bottom = akeys.audit_sk(floor_id(low))

        def fetch(high: str, count: int) -> list[AuditItem]:
            if akeys.audit_sk(high) < bottom:
                return []
            found = AuditItem.query(
                partition,
                AuditItem.sk.between(bottom, akeys.audit_sk(high)),
                scan_index_forward=False,
                limit=count,
                page_size=count,
            )
            return [item for item in found if isinstance(item, AuditItem)]

        with tenant_scope(org_id):
            walked = _walk(fetch, query, below, want, reads)
        return Slice(walked.entries, walked.resume)

    @store_call
    def of_platform(self, query: AuditQuery, low: datetime, below: str, want: int, reads: int) -> Slice:
        """gsi1 Queries, one UTC day at a time from the newest: gsi1pk = AUDIT#<day>, gsi1sk BETWEEN ids."""
        entries: list[AuditEntry] = []
        high = below
        day = time_of(below).date()
        while day >= low.astimezone(UTC).date():
            start = datetime.combine(day, time.min, UTC)
            if reads <= 0:
                return Slice(entries, floor_id(start + timedelta(days=1)))
            bottom = floor_id(max(start, low))
            partition = akeys.audit_day_gsi_pk(day.isoformat())

            def fetch(
                top: str, count: int, partition: str = partition, bottom: str = bottom
            ) -> list[AuditItem]:
                if top < bottom:
                    return []
                found = Item.by_host.query(
                    partition,
                    Item.gsi1sk.between(bottom, top),
                    scan_index_forward=False,
                    limit=count,
                    page_size=count,
                )
                return [item for item in found if isinstance(item, AuditItem)]

            walked = _walk(fetch, query, high, want - len(entries), reads)
            entries += walked.entries
            reads -= walked.used
            if walked.resume is not None:
                return Slice(entries, walked.resume)
            day -= timedelta(days=1)
            high = ceiling_id(start - timedelta(milliseconds=1))
        return Slice(entries, None)


@dataclass(frozen=True)
class _Walked:
    entries: list[AuditEntry]
    resume: str | None  # the id to continue below; None: read to the range's start
    used: int  # fetches made


def _walk(fetch: Fetch, query: AuditQuery, high: str, want: int, reads: int) -> _Walked:
    """Read newest first from `high` down, at most `reads` fetches, until `want` entries match."""
    entries: list[AuditEntry] = []
    used = 0
    last: str | None = None
    while used < reads:
        count = FILTERED_PAGE if query.filters else max(1, min(MAX_PAGE, want - len(entries)))
        batch = fetch(high, count)
        used += 1
        for item in batch:
            entry = entry_of(item)
            last = entry.id
            if query.matches(entry):
                entries.append(entry)
                if len(entries) >= want:
                    return _Walked(entries, entry.id, used)
        if len(batch) < count:
            return _Walked(entries, None, used)
        high = id_before(batch[-1].id)
    return _Walked(entries, last, used)


class UserEmails:
    """Actors: a user's email from their profile item (one GetItem)."""

    @store_call
    def email_of(self, user_id: str) -> str | None:
        try:
            return str(UserItem.get(keys.user_pk(user_id), keys.USER_SK).email)
        except (DoesNotExist, ValueError):
            return None
