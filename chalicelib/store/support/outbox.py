"""OutboxRepository: mail waiting to be sent, in its organization's partition and on the gsi1 partition
MAILOUTBOX sorted by due time. Every change is conditional on the message's version, so two delivery runs
never hold the same message at once."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime
from typing import cast

from pynamodb.exceptions import DeleteError, UpdateError

from chalicelib.domain.support.entities import Audience, OutboxMessage
from chalicelib.store import keys
from chalicelib.store.support import keys as skeys
from chalicelib.store.support.models import OutboxItem
from chalicelib.store.table import Item, is_condition_failure, store_call

log = logging.getLogger("containerstacks.support.outbox")


def outbox_item(m: OutboxMessage) -> OutboxItem:
    """The item of a new message (saved in the transaction of the change that causes it)."""
    return OutboxItem(
        keys.org_pk(m.organization_id),
        skeys.outbox_sk(m.id),
        gsi1pk=skeys.OUTBOX_INDEX,
        gsi1sk=skeys.outbox_gsi_sk(m.next_attempt_at, m.id),
        id=m.id,
        organization_id=m.organization_id,
        template=m.template,
        content=dict(m.values),
        audience=m.audience,
        user_id=m.user_id,
        delivered_to=list(m.delivered_to) or None,
        attempts=m.attempts,
        next_attempt_at=m.next_attempt_at,
        last_error=m.last_error,
        version=m.version,
        created_at=m.created_at,
        updated_at=m.created_at,
    )


def _message(item: OutboxItem) -> OutboxMessage:
    return OutboxMessage(
        id=item.id,
        organization_id=item.organization_id,
        template=item.template,
        values={str(k): str(v) for k, v in (item.content or {}).items()},
        audience=cast(Audience, item.audience),
        created_at=item.created_at,
        next_attempt_at=item.next_attempt_at,
        user_id=item.user_id,
        delivered_to=tuple(str(a) for a in item.delivered_to or []),
        attempts=int(item.attempts or 0),
        last_error=item.last_error,
        version=int(item.version),
    )


def _key(m: OutboxMessage) -> OutboxItem:
    return OutboxItem(keys.org_pk(m.organization_id), skeys.outbox_sk(m.id))


class OutboxRepository:
    """Implements the Outbox port."""

    @store_call
    def due(self, now: datetime, limit: int) -> list[OutboxMessage]:
        """One Query of gsi1, earliest first."""
        bound = f"{skeys.due_key(now)}#~"
        return [
            _message(item)
            for item in Item.by_host.query(
                skeys.OUTBOX_INDEX, range_key_condition=Item.gsi1sk <= bound, limit=limit, page_size=limit
            )
            if isinstance(item, OutboxItem)
        ]

    @store_call
    def claim(self, message: OutboxMessage, until: datetime) -> OutboxMessage | None:
        version = message.version + 1
        try:
            _key(message).update(
                actions=[
                    OutboxItem.version.set(version),
                    OutboxItem.next_attempt_at.set(until),
                    OutboxItem.gsi1sk.set(skeys.outbox_gsi_sk(until, message.id)),
                ],
                condition=OutboxItem.version == message.version,
            )
        except UpdateError as exc:
            if is_condition_failure(exc):
                return None
            raise
        return replace(message, version=version, next_attempt_at=until)

    @store_call
    def save(self, message: OutboxMessage) -> None:
        try:
            _key(message).update(
                actions=[
                    OutboxItem.version.set(message.version + 1),
                    OutboxItem.attempts.set(message.attempts),
                    OutboxItem.delivered_to.set(list(message.delivered_to)),  # type: ignore[arg-type]
                    OutboxItem.last_error.set(message.last_error or ""),
                    OutboxItem.next_attempt_at.set(message.next_attempt_at),
                    OutboxItem.gsi1sk.set(skeys.outbox_gsi_sk(message.next_attempt_at, message.id)),
                ],
                condition=OutboxItem.version == message.version,
            )
        except UpdateError as exc:
            if not is_condition_failure(exc):
                raise
            log.warning("outbox message %s was taken over by another run; left to it", message.id)

    @store_call
    def remove(self, message: OutboxMessage) -> None:
        try:
            _key(message).delete(condition=OutboxItem.version == message.version)
        except DeleteError as exc:
            if not is_condition_failure(exc):
                raise
            log.warning("outbox message %s was taken over by another run; left to it", message.id)

    @store_call
    def pending(self, org_id: str) -> list[OutboxMessage]:
        """Every message of one organization still waiting (operators' and tests' view)."""
        return [
            _message(item)
            for item in OutboxItem.query(
                keys.org_pk(org_id), OutboxItem.sk.startswith(skeys.OUTBOX_PREFIX), consistent_read=True
            )
        ]
