"""OperatorDesk: platform administrators' side of support (every organization's tickets).

Operators list all tickets from the status index, read any thread, reply (is_admin_reply), assign tickets to
an administrator and set any status. A ticket is found by its id alone (a pointer names its organization),
and the work on it runs in that organization's tenant scope. Raises NotFound for an unknown ticket,
Conflict for a reply to a closed ticket, ValidationFailed for an assignee who is not an administrator.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from chalicelib.domain.shared.errors import NotFound, ValidationFailed
from chalicelib.domain.shared.paging import Page
from chalicelib.domain.shared.principal import Principal
from chalicelib.domain.shared.tenancy import tenant_scope
from chalicelib.domain.support.entities import (
    STATUS_LABELS,
    OutboxMessage,
    Person,
    Reply,
    Thread,
    Ticket,
    TicketFilters,
    TicketStatus,
    is_ticket_id,
)
from chalicelib.domain.support.service import TicketDesk

EXCERPT = 280


@dataclass(frozen=True)
class TicketUpdate:
    """An operator's change: a new status and/or (when `assign`) a new assignee (None: nobody)."""

    status: TicketStatus | None = None
    assign: bool = False
    assignee_id: str | None = None


def excerpt(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= EXCERPT else flat[: EXCERPT - 1] + "…"


class OperatorDesk(TicketDesk):
    def page(self, admin: Principal, filters: TicketFilters, limit: int, cursor: str | None) -> Page[Ticket]:
        return self._tickets.page_all(filters, limit, cursor)

    def thread(self, admin: Principal, ticket_id: str) -> Thread:
        org_id = self._owner(ticket_id)
        with tenant_scope(org_id):
            return self._thread(org_id, ticket_id)

    def reply(self, admin: Principal, ticket_id: str, message: str) -> Reply:
        org_id = self._owner(ticket_id)

        def change(ticket: Ticket) -> tuple[Ticket, Reply]:
            after, reply = self._reply(ticket, admin.user_id, message, by_admin=True)
            self._tickets.add_reply(
                ticket, after, reply, [self._mail.admin_reply(after, reply, after.updated_at)]
            )
            return after, reply

        with tenant_scope(org_id):
            after, reply = self._changing(org_id, ticket_id, change)
        self._notify(
            after,
            "ticket.reply",
            f'Support replied to "{after.subject}"',
            excerpt(reply.message),
            reply_id=reply.id,
        )
        return reply

    def update(self, admin: Principal, ticket_id: str, changes: TicketUpdate) -> Ticket:
        org_id = self._owner(ticket_id)
        if (
            changes.assign
            and changes.assignee_id is not None
            and not self._directory.is_admin(changes.assignee_id)
        ):
            raise ValidationFailed(
                "Tickets are assigned to platform administrators only.", details={"field": "assignee_id"}
            )

        def change(ticket: Ticket) -> tuple[Ticket, Ticket]:
            status = changes.status or ticket.status
            assignee = changes.assignee_id if changes.assign else ticket.assignee_id
            if status == ticket.status and assignee == ticket.assignee_id:
                return ticket, ticket
            after = replace(
                ticket,
                status=status,
                assignee_id=assignee,
                updated_at=self._clock(),
                version=ticket.version + 1,
            )
            self._tickets.update(ticket, after, self._update_mail(admin, ticket, after))
            return ticket, after

        with tenant_scope(org_id):
            before, after = self._changing(org_id, ticket_id, change)
        if after.status != before.status:
            self._notify(
                after,
                "ticket.status",
                f'Your ticket "{after.subject}" is now {STATUS_LABELS[after.status]}',
                previous_status=before.status,
            )
        return after

    def agents(self, admin: Principal) -> list[Person]:
        """The administrators a ticket can be assigned to, by name."""
        return sorted(self._directory.admins(), key=lambda person: (person.name.lower(), person.email))

    def _update_mail(self, admin: Principal, before: Ticket, after: Ticket) -> list[OutboxMessage]:
        by = self._name(admin.user_id)
        mail: list[OutboxMessage] = []
        if after.status != before.status:
            mail.append(self._mail.status_changed(after, before, by, after.updated_at))
        assignee = after.assignee_id
        if assignee and assignee != before.assignee_id and assignee != admin.user_id:
            organization = self._organization(after.organization_id, after)
            mail.append(self._mail.assigned(after, assignee, by, organization, after.updated_at))
        return mail

    def _owner(self, ticket_id: str) -> str:
        org_id = self._tickets.locate(ticket_id) if is_ticket_id(ticket_id) else None
        if org_id is None:
            raise NotFound(f"Ticket {ticket_id} was not found.")
        return org_id
