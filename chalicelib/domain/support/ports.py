"""Ports of support: ticket storage, the mail outbox, the people directory, linked resources."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from chalicelib.domain.shared.paging import Page
from chalicelib.domain.support.entities import (
    OutboxMessage,
    Person,
    Reply,
    ResourceKind,
    Ticket,
    TicketFilters,
)


class TicketChanged(Exception):
    """The ticket is no longer at the version read (another reply or status change won); read it again."""


class Tickets(Protocol):
    """Tickets and replies in their organization's partition; each change is written in one transaction
    with the mail it causes (the outbox messages), so a change is never saved without its mail."""

    def create(self, ticket: Ticket, mail: Sequence[OutboxMessage]) -> None: ...

    def get(self, org_id: str, ticket_id: str) -> Ticket:
        """Raises NotFound (also for another organization's ticket)."""
        ...

    def locate(self, ticket_id: str) -> str | None:
        """The organization owning `ticket_id` (operators' routes), None when there is no such ticket."""
        ...

    def page(self, org_id: str, filters: TicketFilters, limit: int, cursor: str | None) -> Page[Ticket]:
        """One organization's tickets, newest first. Raises ValidationFailed (field `cursor`)."""
        ...

    def page_all(self, filters: TicketFilters, limit: int, cursor: str | None) -> Page[Ticket]:
        """Every organization's tickets (operators), newest first, from the status index (no Scan).
        Raises ValidationFailed (field `cursor`)."""
        ...

    def replies(self, org_id: str, ticket_id: str) -> list[Reply]:
        """The ticket's replies, oldest first."""
        ...

    def add_reply(self, old: Ticket, new: Ticket, reply: Reply, mail: Sequence[OutboxMessage]) -> None:
        """Write the reply and `new` over `old` if the ticket is still at `old.version`.
        Raises TicketChanged otherwise (nothing is written)."""
        ...

    def update(self, old: Ticket, new: Ticket, mail: Sequence[OutboxMessage]) -> None:
        """Write `new` over `old` if still at `old.version`. Raises TicketChanged otherwise."""
        ...


class Outbox(Protocol):
    """Mail waiting to be sent, indexed by when it is due (across organizations: the mail function's)."""

    def due(self, now: datetime, limit: int) -> list[OutboxMessage]:
        """Messages whose next attempt is at or before `now`, earliest first (eventually consistent)."""
        ...

    def claim(self, message: OutboxMessage, until: datetime) -> OutboxMessage | None:
        """Hold `message` until `until` if it is still at its version (None: another run has it or it is
        gone). The held message comes back with its new version."""
        ...

    def save(self, message: OutboxMessage) -> None:
        """Record attempts, recipients done and the next attempt, if `message.version` is still current
        (the store bumps it); a message another run took over meanwhile is left alone."""
        ...

    def remove(self, message: OutboxMessage) -> None:
        """Delete a delivered message if still at `message.version`."""
        ...


class Directory(Protocol):
    """People and organizations as support needs them (read from the accounts' records)."""

    def person(self, user_id: str) -> Person | None: ...

    def people(self, user_ids: Sequence[str]) -> list[Person]:
        """Those of `user_ids` that exist (one batch read)."""
        ...

    def organization_name(self, org_id: str) -> str | None: ...

    def admins(self) -> list[Person]:
        """Every platform administrator (the admin index, not a Scan)."""
        ...

    def is_admin(self, user_id: str) -> bool: ...


class ResourceLinks(Protocol):
    """Resources a ticket may link to."""

    def name_of(self, org_id: str, kind: ResourceKind, resource_id: str) -> str | None:
        """The resource's name when `org_id` has it, else None."""
        ...


class MailKick(Protocol):
    """Asks for the outbox to be delivered soon (locally: now, on a background thread). Never raises and
    never blocks: the schedule delivers anyway."""

    def wake(self) -> None: ...


class NoKick:
    """The schedule alone delivers (AWS: the mail function runs every minute)."""

    def wake(self) -> None:
        return None
