"""Support items of the main table: tickets, replies, ticket pointers and the mail outbox."""

from __future__ import annotations

from pynamodb.attributes import (
    BooleanAttribute,
    JSONAttribute,
    ListAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
)

from chalicelib.store.table import Item


class TicketItem(Item, discriminator="ticket"):
    """gsi1pk=TICKETS#<status>, gsi1sk=<id>: the operators' list by status."""

    id = UnicodeAttribute()
    organization_id = UnicodeAttribute()
    created_by = UnicodeAttribute()
    author_name = UnicodeAttribute()
    subject = UnicodeAttribute()
    message = UnicodeAttribute()
    status = UnicodeAttribute()
    priority = UnicodeAttribute()
    category = UnicodeAttribute()
    resource_kind = UnicodeAttribute(null=True)
    resource_id = UnicodeAttribute(null=True)
    resource_name = UnicodeAttribute(null=True)
    organization_name = UnicodeAttribute(null=True)
    assignee_id = UnicodeAttribute(null=True)
    reply_count = NumberAttribute(default=0)
    last_reply_at = UTCDateTimeAttribute(null=True)
    last_reply_by_admin = BooleanAttribute(default=False)
    version = NumberAttribute()


class TicketReplyItem(Item, discriminator="ticket_reply"):
    id = UnicodeAttribute()
    ticket_id = UnicodeAttribute()
    organization_id = UnicodeAttribute()
    user_id = UnicodeAttribute()
    author_name = UnicodeAttribute()
    message = UnicodeAttribute()
    is_admin_reply = BooleanAttribute()


class TicketRefItem(Item, discriminator="ticket_ref"):
    """Platform pointer TICKETREF#<id>: the organization owning the ticket."""

    organization_id = UnicodeAttribute()


class OutboxItem(Item, discriminator="mail_outbox"):
    """A message to send; gsi1pk=MAILOUTBOX, gsi1sk=<due epoch ms>#<id> while it waits."""

    id = UnicodeAttribute()
    organization_id = UnicodeAttribute()
    template = UnicodeAttribute()
    content = JSONAttribute()
    audience = UnicodeAttribute()
    user_id = UnicodeAttribute(null=True)
    delivered_to = ListAttribute(of=UnicodeAttribute, null=True)
    attempts = NumberAttribute(default=0)
    next_attempt_at = UTCDateTimeAttribute()
    last_error = UnicodeAttribute(null=True)
    version = NumberAttribute()
