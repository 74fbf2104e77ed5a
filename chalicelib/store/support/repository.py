"""TicketRepository: tickets and replies in their organization's partition, the operators' status index,
and the outbox messages each change writes in its own transaction.

Each public method is one DynamoDB call (a TransactWrite where several items move together), except
page_all, which queries one gsi1 partition per status asked for (at most four) and merges them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any, cast

from pynamodb.exceptions import DoesNotExist
from pynamodb.expressions.condition import Condition

from chalicelib.domain.shared.errors import NotFound
from chalicelib.domain.shared.paging import Page
from chalicelib.domain.support.entities import (
    STATUSES,
    OutboxMessage,
    Reply,
    ResourceKind,
    ResourceLink,
    Ticket,
    TicketCategory,
    TicketFilters,
    TicketPriority,
    TicketStatus,
)
from chalicelib.domain.support.ports import TicketChanged
from chalicelib.store import keys
from chalicelib.store.cursor import decode_cursor, encode_cursor
from chalicelib.store.support import keys as skeys
from chalicelib.store.support.models import TicketItem, TicketRefItem, TicketReplyItem
from chalicelib.store.support.outbox import outbox_item
from chalicelib.store.table import Item, Transaction, TransactionCancelled, store_call, transaction


def _ticket(item: TicketItem) -> Ticket:
    resource = (
        ResourceLink(cast(ResourceKind, item.resource_kind), item.resource_id, item.resource_name or "")
        if item.resource_kind and item.resource_id
        else None
    )
    return Ticket(
        id=item.id,
        organization_id=item.organization_id,
        created_by=item.created_by,
        author_name=item.author_name,
        subject=item.subject,
        message=item.message,
        status=cast(TicketStatus, item.status),
        priority=cast(TicketPriority, item.priority),
        category=cast(TicketCategory, item.category),
        created_at=item.created_at,
        updated_at=item.updated_at,
        resource=resource,
        organization_name=item.organization_name or "",
        assignee_id=item.assignee_id,
        reply_count=int(item.reply_count or 0),
        last_reply_at=item.last_reply_at,
        last_reply_by_admin=bool(item.last_reply_by_admin),
        version=int(item.version),
    )


def _ticket_item(t: Ticket) -> TicketItem:
    return TicketItem(
        keys.org_pk(t.organization_id),
        skeys.ticket_sk(t.id),
        gsi1pk=skeys.tickets_gsi_pk(t.status),
        gsi1sk=t.id,
        id=t.id,
        organization_id=t.organization_id,
        created_by=t.created_by,
        author_name=t.author_name,
        subject=t.subject,
        message=t.message,
        status=t.status,
        priority=t.priority,
        category=t.category,
        resource_kind=t.resource.kind if t.resource else None,
        resource_id=t.resource.id if t.resource else None,
        resource_name=t.resource.name if t.resource else None,
        organization_name=t.organization_name or None,
        assignee_id=t.assignee_id,
        reply_count=t.reply_count,
        last_reply_at=t.last_reply_at,
        last_reply_by_admin=t.last_reply_by_admin,
        version=t.version,
        created_at=t.created_at,
        updated_at=t.updated_at,
    )


def _reply(item: TicketReplyItem) -> Reply:
    return Reply(
        id=item.id,
        ticket_id=item.ticket_id,
        organization_id=item.organization_id,
        user_id=item.user_id,
        author_name=item.author_name,
        message=item.message,
        is_admin_reply=bool(item.is_admin_reply),
        created_at=item.created_at,
    )


def _reply_item(r: Reply) -> TicketReplyItem:
    return TicketReplyItem(
        keys.org_pk(r.organization_id),
        skeys.reply_sk(r.ticket_id, r.id),
        id=r.id,
        ticket_id=r.ticket_id,
        organization_id=r.organization_id,
        user_id=r.user_id,
        author_name=r.author_name,
        message=r.message,
        is_admin_reply=r.is_admin_reply,
        created_at=r.created_at,
        updated_at=r.created_at,
    )


def _filters(f: TicketFilters) -> Condition | None:
    wanted: list[tuple[Any, str | None]] = [
        (TicketItem.status, f.status),
        (TicketItem.priority, f.priority),
        (TicketItem.category, f.category),
        (TicketItem.organization_id, f.organization_id),
        (TicketItem.assignee_id, f.assignee_id),
    ]
    condition: Condition | None = None
    for attribute, value in wanted:
        if value is not None:
            condition = attribute == value if condition is None else condition & (attribute == value)
    return condition


def _add_mail(tx: Transaction, mail: Sequence[OutboxMessage]) -> None:
    for number, message in enumerate(mail):
        tx.save(f"mail-{number}", outbox_item(message), condition=Item.pk.does_not_exist())


class TicketRepository:
    """Implements the Tickets port."""

    @store_call
    def create(self, ticket: Ticket, mail: Sequence[OutboxMessage]) -> None:
        ref = TicketRefItem(
            skeys.ticket_ref_pk(ticket.id),
            skeys.TICKET_REF_SK,
            organization_id=ticket.organization_id,
            created_at=ticket.created_at,
            updated_at=ticket.created_at,
        )
        with transaction() as tx:
            tx.save("ticket", _ticket_item(ticket), condition=Item.pk.does_not_exist())
            tx.save("ref", ref, condition=Item.pk.does_not_exist())
            _add_mail(tx, mail)

    @store_call
    def get(self, org_id: str, ticket_id: str) -> Ticket:
        try:
            item = TicketItem.get(keys.org_pk(org_id), skeys.ticket_sk(ticket_id), consistent_read=True)
        except DoesNotExist as exc:
            raise NotFound(f"Ticket {ticket_id} was not found.") from exc
        if not isinstance(item, TicketItem):  # pragma: no cover - the key prefix is the ticket's own
            raise NotFound(f"Ticket {ticket_id} was not found.")
        return _ticket(item)

    @store_call
    def locate(self, ticket_id: str) -> str | None:
        try:
            return TicketRefItem.get(skeys.ticket_ref_pk(ticket_id), skeys.TICKET_REF_SK).organization_id
        except DoesNotExist:
            return None

    @store_call
    def page(self, org_id: str, filters: TicketFilters, limit: int, cursor: str | None) -> Page[Ticket]:
        """One Query (DynamoDB pages on until `limit` tickets pass the filters), newest first."""
        partition = keys.org_pk(org_id)
        result = TicketItem.query(
            partition,
            TicketItem.sk.startswith(skeys.TICKET_PREFIX),
            filter_condition=_filters(filters),
            scan_index_forward=False,
            limit=limit,
            page_size=limit,
            last_evaluated_key=decode_cursor(cursor, partition),
        )
        items = [_ticket(item) for item in result]
        return Page(items=items, next_cursor=encode_cursor(result.last_evaluated_key))

    @store_call
    def page_all(self, filters: TicketFilters, limit: int, cursor: str | None) -> Page[Ticket]:
        """Newest first across the status partitions asked for; the cursor is the last ticket id shown."""
        start = decode_cursor(cursor, skeys.ALL_TICKETS)
        after = str(start["sk"]["S"]) if start and "sk" in start else None
        condition = _filters(replace(filters, status=None))  # the status is the partition
        found: list[Ticket] = []
        for status in (filters.status,) if filters.status else STATUSES:
            for item in Item.by_host.query(
                skeys.tickets_gsi_pk(status),
                range_key_condition=Item.gsi1sk < after if after else None,
                filter_condition=condition,
                scan_index_forward=False,
                limit=limit + 1,
                page_size=limit + 1,
            ):
                if isinstance(item, TicketItem):
                    found.append(_ticket(item))
        found.sort(key=lambda ticket: ticket.id, reverse=True)
        shown = found[:limit]
        more = len(found) > limit and shown
        next_cursor = (
            encode_cursor({"pk": {"S": skeys.ALL_TICKETS}, "sk": {"S": shown[-1].id}}) if more else None
        )
        return Page(items=shown, next_cursor=next_cursor)

    @store_call
    def replies(self, org_id: str, ticket_id: str) -> list[Reply]:
        return [
            _reply(item)
            for item in TicketReplyItem.query(
                keys.org_pk(org_id),
                TicketReplyItem.sk.startswith(skeys.replies_prefix(ticket_id)),
                consistent_read=True,
            )
        ]

    @store_call
    def add_reply(self, old: Ticket, new: Ticket, reply: Reply, mail: Sequence[OutboxMessage]) -> None:
        try:
            with transaction() as tx:
                tx.save("ticket", _ticket_item(new), condition=TicketItem.version == old.version)
                tx.save("reply", _reply_item(reply), condition=Item.pk.does_not_exist())
                _add_mail(tx, mail)
        except TransactionCancelled as exc:
            if "ticket" in exc.failed:
                raise TicketChanged(old.id) from exc
            raise

    @store_call
    def update(self, old: Ticket, new: Ticket, mail: Sequence[OutboxMessage]) -> None:
        try:
            with transaction() as tx:
                tx.save("ticket", _ticket_item(new), condition=TicketItem.version == old.version)
                _add_mail(tx, mail)
        except TransactionCancelled as exc:
            if "ticket" in exc.failed:
                raise TicketChanged(old.id) from exc
            raise
