"""SupportService: a customer's tickets (open, list, read, reply, close, reopen) in the organization acted in.

Every change is written with the mail it causes in one transaction (the outbox); the mail function sends it
later, so an unreachable mail server never fails or slows the request. Raises NotFound for a ticket of
another organization (as for a missing one), Conflict for a change the ticket's status does not allow,
ValidationFailed for a link to a resource the organization does not have.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TypeVar

from chalicelib.domain.shared.clock import Clock, utcnow
from chalicelib.domain.shared.errors import Conflict, NotFound, ValidationFailed
from chalicelib.domain.shared.ids import monotonic_ulid
from chalicelib.domain.shared.notices import Notice, Notifier
from chalicelib.domain.shared.paging import Page
from chalicelib.domain.shared.principal import Principal
from chalicelib.domain.support.entities import (
    CLOSED,
    CUSTOMER_CLOSE_FROM,
    CUSTOMER_REOPEN_FROM,
    MAX_REPLIES,
    OPEN,
    Reply,
    ResourceLink,
    Thread,
    Ticket,
    TicketFilters,
    TicketRequest,
    TicketStatus,
    is_ticket_id,
    next_status_on_reply,
)
from chalicelib.domain.support.mail import SupportMail
from chalicelib.domain.support.ports import Directory, MailKick, ResourceLinks, TicketChanged, Tickets

T = TypeVar("T")
CHANGE_ATTEMPTS = 5  # a reply racing another reply or a status change is applied again on the new version


class TicketDesk:
    """What customers' and operators' ticket work shares: reading, the retried change, replies, notices."""

    def __init__(
        self,
        tickets: Tickets,
        directory: Directory,
        mail: SupportMail,
        kick: MailKick,
        notifier: Callable[[], Notifier],
        clock: Clock = utcnow,
        ids: Callable[[], str] = monotonic_ulid,
    ) -> None:
        self._tickets = tickets
        self._directory = directory
        self._mail = mail
        self._kick = kick
        self._notifier = notifier
        self._clock = clock
        self._ids = ids

    def _get(self, org_id: str, ticket_id: str) -> Ticket:
        if not is_ticket_id(ticket_id):
            raise NotFound(f"Ticket {ticket_id} was not found.")
        return self._tickets.get(org_id, ticket_id)

    def _thread(self, org_id: str, ticket_id: str) -> Thread:
        ticket = self._get(org_id, ticket_id)
        return Thread(ticket, self._tickets.replies(org_id, ticket.id))

    def _changing(self, org_id: str, ticket_id: str, change: Callable[[Ticket], T]) -> T:
        """Run `change` on the current ticket; again on a fresh read when another change won the race."""
        for _ in range(CHANGE_ATTEMPTS):
            try:
                result = change(self._get(org_id, ticket_id))
            except TicketChanged:
                continue
            self._kick.wake()
            return result
        raise Conflict("The ticket changed meanwhile; reload it and try again.")

    def _name(self, user_id: str) -> str:
        person = self._directory.person(user_id)
        return person.name if person else "A former user"

    def _organization(self, org_id: str, ticket: Ticket | None = None) -> str:
        if ticket is not None and ticket.organization_name:
            return ticket.organization_name
        return self._directory.organization_name(org_id) or org_id

    def _reply(self, ticket: Ticket, user_id: str, message: str, by_admin: bool) -> tuple[Ticket, Reply]:
        """The reply and the ticket after it. Raises Conflict on a closed or full ticket."""
        if ticket.status == CLOSED:
            raise Conflict("The ticket is closed; reopen it to reply.", details={"status": ticket.status})
        if ticket.reply_count >= MAX_REPLIES:
            raise Conflict(
                f"The ticket has {MAX_REPLIES} replies, the most one ticket holds; open a new one."
            )
        now = self._clock()
        reply = Reply(
            id=self._ids(),
            ticket_id=ticket.id,
            organization_id=ticket.organization_id,
            user_id=user_id,
            author_name=self._name(user_id),
            message=message,
            is_admin_reply=by_admin,
            created_at=now,
        )
        after = replace(
            ticket,
            status=next_status_on_reply(ticket.status, by_admin),
            reply_count=ticket.reply_count + 1,
            last_reply_at=now,
            last_reply_by_admin=by_admin,
            updated_at=now,
            version=ticket.version + 1,
        )
        return after, reply

    def _moved(self, ticket: Ticket, status: TicketStatus) -> Ticket:
        return replace(ticket, status=status, updated_at=self._clock(), version=ticket.version + 1)

    def _notify(self, ticket: Ticket, kind: str, title: str, body: str = "", **data: str) -> None:
        self._notifier().notify(
            Notice(
                organization_id=ticket.organization_id,
                kind=kind,
                title=title,
                body=body,
                resource_type="ticket",
                resource_id=ticket.id,
                data={"ticket_id": ticket.id, "subject": ticket.subject, "status": ticket.status, **data},
            )
        )


class SupportService(TicketDesk):
    """Customers' side: every member of an organization sees and answers its tickets."""

    def __init__(
        self,
        tickets: Tickets,
        directory: Directory,
        mail: SupportMail,
        kick: MailKick,
        notifier: Callable[[], Notifier],
        links: ResourceLinks,
        clock: Clock = utcnow,
        ids: Callable[[], str] = monotonic_ulid,
    ) -> None:
        super().__init__(tickets, directory, mail, kick, notifier, clock, ids)
        self._links = links

    def open(self, p: Principal, request: TicketRequest) -> Ticket:
        org_id = p.organization_id
        resource = self._link(org_id, request.resource) if request.resource else None
        author = self._directory.person(p.user_id)
        organization = self._organization(org_id)
        now = self._clock()
        ticket = Ticket(
            id=self._ids(),
            organization_id=org_id,
            created_by=p.user_id,
            author_name=author.name if author else "",
            subject=request.subject,
            message=request.message,
            status=OPEN,
            priority=request.priority,
            category=request.category,
            created_at=now,
            updated_at=now,
            resource=resource,
            organization_name=organization,
        )
        self._tickets.create(ticket, [self._mail.new_ticket(ticket, author, organization, now)])
        self._kick.wake()
        return ticket

    def page(self, p: Principal, filters: TicketFilters, limit: int, cursor: str | None) -> Page[Ticket]:
        only_own = replace(filters, organization_id=None, assignee_id=None)
        return self._tickets.page(p.organization_id, only_own, limit, cursor)

    def thread(self, p: Principal, ticket_id: str) -> Thread:
        return self._thread(p.organization_id, ticket_id)

    def reply(self, p: Principal, ticket_id: str, message: str) -> Reply:
        def change(ticket: Ticket) -> Reply:
            after, reply = self._reply(ticket, p.user_id, message, by_admin=False)
            mail = [
                self._mail.customer_reply(
                    after, reply, self._organization(ticket.organization_id, ticket), after.updated_at
                )
            ]
            self._tickets.add_reply(ticket, after, reply, mail)
            return reply

        return self._changing(p.organization_id, ticket_id, change)

    def close(self, p: Principal, ticket_id: str) -> Ticket:
        """Close the ticket; a closed one stays as it is (a retried close is answered the same)."""

        def change(ticket: Ticket) -> Ticket:
            if ticket.status not in CUSTOMER_CLOSE_FROM:
                return ticket
            after = self._moved(ticket, CLOSED)
            self._tickets.update(ticket, after, [])
            return after

        return self._changing(p.organization_id, ticket_id, change)

    def reopen(self, p: Principal, ticket_id: str) -> Ticket:
        """Open a resolved or closed ticket again (operators are mailed); an open or in-progress ticket stays
        as it is."""

        def change(ticket: Ticket) -> Ticket:
            if ticket.status not in CUSTOMER_REOPEN_FROM:
                return ticket
            after = self._moved(ticket, OPEN)
            organization = self._organization(ticket.organization_id, ticket)
            mail = [self._mail.reopened(after, self._name(p.user_id), organization, after.updated_at)]
            self._tickets.update(ticket, after, mail)
            return after

        return self._changing(p.organization_id, ticket_id, change)

    def _link(self, org_id: str, link: ResourceLink) -> ResourceLink:
        name = self._links.name_of(org_id, link.kind, link.id)
        if name is None:
            raise ValidationFailed(
                f"This organization has no {link.kind} {link.id}.", details={"field": "resource"}
            )
        return replace(link, name=name)
