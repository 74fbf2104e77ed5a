"""Key strings of the support records (the support slice of store/keys.py's grammar).

Tenant items: tickets (ORG#<org>, TICKET#<id>), their replies (ORG#<org>, TICKETREPLY#<ticket>#<reply>) and
the mail they cause (ORG#<org>, OUTBOX#<id>). Platform items: one pointer per ticket (TICKETREF#<id>) naming
its organization, for the operators' routes, which know a ticket by its id alone.
gsi1: every organization's tickets by status (TICKETS#<status>, sorted by ticket id = creation time), read by
the operators' list; the outbox by due time (MAILOUTBOX), read by the mail function only.
"""

from __future__ import annotations

from datetime import datetime

TICKET_PREFIX = "TICKET#"
REPLY_PREFIX = "TICKETREPLY#"
OUTBOX_PREFIX = "OUTBOX#"
TICKET_REF_SK = "TICKETREF"
# The operators' list merges the status partitions; its cursor is bound to this name instead of one partition.
ALL_TICKETS = "TICKETS"
# gsi1 partition of the mail outbox. Not named *_gsi_pk: only the workers' role queries it, never the API's.
OUTBOX_INDEX = "MAILOUTBOX"


def ticket_sk(ticket_id: str) -> str:
    return f"{TICKET_PREFIX}{ticket_id}"


def replies_prefix(ticket_id: str) -> str:
    return f"{REPLY_PREFIX}{ticket_id}#"


def reply_sk(ticket_id: str, reply_id: str) -> str:
    return f"{replies_prefix(ticket_id)}{reply_id}"


def ticket_ref_pk(ticket_id: str) -> str:
    """Platform pointer: which organization owns the ticket (written with the ticket)."""
    return f"TICKETREF#{ticket_id}"


def tickets_gsi_pk(status: str) -> str:
    """gsi1 partition of every organization's tickets in one status (the operators' list)."""
    return f"{ALL_TICKETS}#{status}"


def outbox_sk(message_id: str) -> str:
    return f"{OUTBOX_PREFIX}{message_id}"


def outbox_gsi_sk(due: datetime, message_id: str) -> str:
    """Sorts by due time (epoch milliseconds, fixed width), then id."""
    return f"{due_key(due)}#{message_id}"


def due_key(moment: datetime) -> str:
    return f"{int(moment.timestamp() * 1000):015d}"
