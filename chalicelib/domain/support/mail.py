"""The mail support sends: which template goes to whom, with which values (rendered by the Mailer adapter).

Operators get new tickets, customers' replies and reopened tickets (every platform administrator plus the
support address); the customer who opened a ticket gets operators' replies and status changes; an operator
gets the tickets assigned to them by someone else.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from chalicelib.domain.shared.ids import monotonic_ulid
from chalicelib.domain.support.entities import (
    STATUS_LABELS,
    Audience,
    OutboxMessage,
    Person,
    Reply,
    Ticket,
)

NEW_TICKET = "support_new_ticket"
CUSTOMER_REPLY = "support_customer_reply"
REOPENED = "support_ticket_reopened"
ADMIN_REPLY = "support_admin_reply"
STATUS_CHANGED = "support_status_changed"
ASSIGNED = "support_ticket_assigned"
TEMPLATES = (NEW_TICKET, CUSTOMER_REPLY, REOPENED, ADMIN_REPLY, STATUS_CHANGED, ASSIGNED)


class SupportMail:
    """Builds the outbox messages of ticket events; links point at the web app (`public_url`)."""

    def __init__(self, public_url: str, ids: Callable[[], str] = monotonic_ulid) -> None:
        self._url = public_url.rstrip("/")
        self._ids = ids

    def new_ticket(
        self, ticket: Ticket, author: Person | None, organization: str, now: datetime
    ) -> OutboxMessage:
        values = {
            "organization": organization,
            "author_email": author.email if author else "",
            "message": ticket.message,
        }
        return self._message(NEW_TICKET, ticket, now, values)

    def customer_reply(self, ticket: Ticket, reply: Reply, organization: str, now: datetime) -> OutboxMessage:
        values = {"organization": organization, "author": reply.author_name, "message": reply.message}
        return self._message(CUSTOMER_REPLY, ticket, now, values)

    def reopened(self, ticket: Ticket, by: str, organization: str, now: datetime) -> OutboxMessage:
        return self._message(REOPENED, ticket, now, {"organization": organization, "author": by})

    def admin_reply(self, ticket: Ticket, reply: Reply, now: datetime) -> OutboxMessage:
        values = {"author": reply.author_name, "message": reply.message}
        return self._message(ADMIN_REPLY, ticket, now, values, to=ticket.created_by)

    def status_changed(self, ticket: Ticket, previous: Ticket, by: str, now: datetime) -> OutboxMessage:
        values = {"author": by, "previous_status": STATUS_LABELS[previous.status]}
        return self._message(STATUS_CHANGED, ticket, now, values, to=ticket.created_by)

    def assigned(
        self, ticket: Ticket, assignee_id: str, by: str, organization: str, now: datetime
    ) -> OutboxMessage:
        values = {"author": by, "organization": organization}
        return self._message(ASSIGNED, ticket, now, values, to=assignee_id, operator=True)

    def _message(
        self,
        template: str,
        ticket: Ticket,
        now: datetime,
        extra: dict[str, str],
        *,
        to: str | None = None,
        operator: bool = False,
    ) -> OutboxMessage:
        """To every operator (`to` None), or to the user `to`; operators' links open the operators' view."""
        audience: Audience = "user" if to else "admins"
        path = f"/admin/support/{ticket.id}" if operator or to is None else f"/support/{ticket.id}"
        resource = ticket.resource
        values = {
            "ticket_id": ticket.id,
            "subject": ticket.subject,
            "priority": ticket.priority,
            "category": ticket.category,
            "status": STATUS_LABELS[ticket.status],
            "name": ticket.author_name,
            "author": ticket.author_name,
            "resource": f"{resource.kind} {resource.name or resource.id}" if resource else "none",
            "link": f"{self._url}{path}",
            **extra,
        }
        return OutboxMessage(
            id=self._ids(),
            organization_id=ticket.organization_id,
            template=template,
            values=values,
            audience=audience,
            user_id=to,
            created_at=now,
            next_attempt_at=now,
        )
