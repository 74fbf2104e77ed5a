"""NotificationRepository (members' feeds) and OrganizationMembers (who gets an organization-wide notice)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from pynamodb.exceptions import DoesNotExist, UpdateError

from chalicelib.domain.notifications.entities import Notification
from chalicelib.domain.shared.errors import NotFound
from chalicelib.domain.shared.paging import Page
from chalicelib.store import keys
from chalicelib.store.accounts.models import MemberItem
from chalicelib.store.cursor import decode_cursor, encode_cursor
from chalicelib.store.notifications import keys as nkeys
from chalicelib.store.notifications.models import NotificationItem, ReadMarkItem
from chalicelib.store.table import is_condition_failure, store_call

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def ulid_floor(moment: datetime) -> str:
    """The smallest ULID of the millisecond after `moment`: every id made up to `moment` sorts below it."""
    value = (int(moment.timestamp() * 1000) + 1) << 80
    chars = []
    for _ in range(26):
        chars.append(_CROCKFORD[value & 31])
        value >>= 5
    return "".join(reversed(chars))


def _notification(item: NotificationItem, org_id: str, user_id: str, read_before: str) -> Notification:
    return Notification(
        id=item.id,
        organization_id=org_id,
        user_id=user_id,
        kind=item.kind,
        title=item.title,
        body=item.body or "",
        created_at=item.created_at,
        resource_type=item.resource_type,
        resource_id=item.resource_id,
        read=item.read_at is not None or item.id < read_before,
    )


class OrganizationMembers:
    """Implements Members: the organization's membership items (one Query)."""

    @store_call
    def user_ids(self, org_id: str) -> list[str]:
        result = MemberItem.query(keys.org_pk(org_id), MemberItem.sk.startswith("MEMBER#"))
        return [item.user_id for item in result if isinstance(item, MemberItem)]


class NotificationRepository:
    """Implements NotificationStore on the ephemeral table: ORG#<org>#NOTIFY#<user> / N#<ulid>, and the
    partition's read mark (READ: everything below `read_before` is read)."""

    def __init__(self, keep: timedelta = timedelta(days=90)) -> None:
        self._keep = keep

    @store_call
    def add(self, notifications: list[Notification], expires: datetime) -> None:
        with NotificationItem.batch_write() as batch:
            for n in notifications:
                batch.save(
                    NotificationItem(
                        nkeys.notifications_pk(n.organization_id, n.user_id),
                        nkeys.notification_sk(n.id),
                        id=n.id,
                        kind=n.kind,
                        title=n.title,
                        body=n.body or None,
                        resource_type=n.resource_type,
                        resource_id=n.resource_id,
                        created_at=n.created_at,
                        expires=expires,
                    )
                )

    @store_call
    def page(
        self, org_id: str, user_id: str, limit: int, cursor: str | None, unread_only: bool, now: datetime
    ) -> Page[Notification]:
        partition = nkeys.notifications_pk(org_id, user_id)
        read_before = self._read_before(partition)
        condition: Any = NotificationItem.expires > now
        if unread_only:
            condition &= NotificationItem.read_at.does_not_exist()
        result = NotificationItem.query(
            partition,
            self._range(read_before if unread_only else ""),
            filter_condition=condition,
            scan_index_forward=False,
            limit=limit,
            page_size=limit,
            last_evaluated_key=decode_cursor(cursor, partition),
        )
        items = [_notification(item, org_id, user_id, read_before) for item in result]
        return Page(items=items, next_cursor=encode_cursor(result.last_evaluated_key))

    @store_call
    def unread_count(self, org_id: str, user_id: str, now: datetime, cap: int) -> int:
        partition = nkeys.notifications_pk(org_id, user_id)
        count = NotificationItem.count(
            partition,
            self._range(self._read_before(partition)),
            filter_condition=(NotificationItem.expires > now) & NotificationItem.read_at.does_not_exist(),
        )
        return min(count, cap)

    @store_call
    def mark_read(self, org_id: str, user_id: str, notification_id: str, now: datetime) -> Notification:
        partition = nkeys.notifications_pk(org_id, user_id)
        item = NotificationItem(partition, nkeys.notification_sk(notification_id))
        try:
            item.update(
                actions=[NotificationItem.read_at.set(NotificationItem.read_at | now)],
                condition=NotificationItem.pk.exists() & (NotificationItem.expires > now),
            )
        except UpdateError as exc:
            if is_condition_failure(exc):
                raise NotFound(f"Notification {notification_id} was not found.") from exc
            raise
        return _notification(item, org_id, user_id, "")

    @store_call
    def mark_all_read(self, org_id: str, user_id: str, now: datetime) -> None:
        ReadMarkItem(
            nkeys.notifications_pk(org_id, user_id),
            nkeys.READ_MARK_SK,
            read_before=ulid_floor(now),
            expires=now + self._keep,
        ).save()

    @staticmethod
    def _read_before(partition: str) -> str:
        try:
            mark = ReadMarkItem.get(partition, nkeys.READ_MARK_SK, consistent_read=True)
        except DoesNotExist:
            return ""
        if mark.expires is not None and mark.expires <= datetime.now(UTC):
            return ""
        return str(mark.read_before)

    @staticmethod
    def _range(after_id: str) -> Any:
        if not after_id:
            return NotificationItem.sk.startswith(nkeys.NOTIFICATION_PREFIX)
        return NotificationItem.sk.between(nkeys.notification_sk(after_id), nkeys.notification_sk("~"))
