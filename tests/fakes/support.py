"""In-memory fakes of support's ports (FakeTickets and FakeOutbox pass the same contract tests as the store),
a mailer that records or refuses, a notifier that records, and a kick that counts."""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from chalicelib.domain.shared.errors import NotFound, ServiceUnavailable, ValidationFailed
from chalicelib.domain.shared.notices import Notice
from chalicelib.domain.shared.paging import Page
from chalicelib.domain.support.entities import (
    OutboxMessage,
    Person,
    Reply,
    ResourceKind,
    Ticket,
    TicketFilters,
)
from chalicelib.domain.support.ports import TicketChanged


def _matches(t: Ticket, f: TicketFilters) -> bool:
    wanted = {
        "status": f.status,
        "priority": f.priority,
        "category": f.category,
        "organization_id": f.organization_id,
        "assignee_id": f.assignee_id,
    }
    return all(value is None or getattr(t, name) == value for name, value in wanted.items())


def _encode(marker: str, ticket_id: str) -> str:
    return base64.urlsafe_b64encode(json.dumps([marker, ticket_id]).encode()).decode()


def _after(cursor: str | None, marker: str) -> str | None:
    if not cursor:
        return None
    try:
        found, ticket_id = json.loads(base64.urlsafe_b64decode(cursor.encode()))
    except ValueError as exc:
        raise ValidationFailed("The cursor is not valid.", details={"field": "cursor"}) from exc
    if found != marker:
        raise ValidationFailed("The cursor is not valid.", details={"field": "cursor"})
    return str(ticket_id)


class FakeOutbox:
    def __init__(self) -> None:
        self.messages: dict[str, OutboxMessage] = {}

    def add(self, mail: Sequence[OutboxMessage]) -> None:
        for message in mail:
            self.messages[message.id] = message

    def due(self, now: datetime, limit: int) -> list[OutboxMessage]:
        ready = [m for m in self.messages.values() if m.next_attempt_at <= now]
        return sorted(ready, key=lambda m: (m.next_attempt_at, m.id))[:limit]

    def claim(self, message: OutboxMessage, until: datetime) -> OutboxMessage | None:
        current = self.messages.get(message.id)
        if current is None or current.version != message.version:
            return None
        held = replace(current, version=current.version + 1, next_attempt_at=until)
        self.messages[message.id] = held
        return held

    def save(self, message: OutboxMessage) -> None:
        current = self.messages.get(message.id)
        if current is not None and current.version == message.version:
            self.messages[message.id] = replace(message, version=message.version + 1)

    def remove(self, message: OutboxMessage) -> None:
        current = self.messages.get(message.id)
        if current is not None and current.version == message.version:
            del self.messages[message.id]

    def pending(self, org_id: str) -> list[OutboxMessage]:
        return sorted((m for m in self.messages.values() if m.organization_id == org_id), key=lambda m: m.id)


class FakeTickets:
    def __init__(self, outbox: FakeOutbox | None = None) -> None:
        self.tickets: dict[tuple[str, str], Ticket] = {}
        self.thread: dict[tuple[str, str], list[Reply]] = {}
        self.outbox = outbox or FakeOutbox()

    def create(self, ticket: Ticket, mail: Sequence[OutboxMessage]) -> None:
        self.tickets[(ticket.organization_id, ticket.id)] = ticket
        self.outbox.add(mail)

    def get(self, org_id: str, ticket_id: str) -> Ticket:
        found = self.tickets.get((org_id, ticket_id))
        if found is None:
            raise NotFound(f"Ticket {ticket_id} was not found.")
        return found

    def locate(self, ticket_id: str) -> str | None:
        return next((org for org, tid in self.tickets if tid == ticket_id), None)

    def page(self, org_id: str, filters: TicketFilters, limit: int, cursor: str | None) -> Page[Ticket]:
        return self._page(
            [t for (org, _), t in self.tickets.items() if org == org_id], filters, limit, cursor, org_id
        )

    def page_all(self, filters: TicketFilters, limit: int, cursor: str | None) -> Page[Ticket]:
        return self._page(list(self.tickets.values()), filters, limit, cursor, "*")

    def _page(
        self, tickets: list[Ticket], filters: TicketFilters, limit: int, cursor: str | None, marker: str
    ) -> Page[Ticket]:
        after = _after(cursor, marker)
        chosen = sorted((t for t in tickets if _matches(t, filters)), key=lambda t: t.id, reverse=True)
        chosen = [t for t in chosen if after is None or t.id < after]
        shown = chosen[:limit]
        return Page(shown, _encode(marker, shown[-1].id) if len(chosen) > limit else None)

    def replies(self, org_id: str, ticket_id: str) -> list[Reply]:
        return list(self.thread.get((org_id, ticket_id), []))

    def add_reply(self, old: Ticket, new: Ticket, reply: Reply, mail: Sequence[OutboxMessage]) -> None:
        self.update(old, new, mail)
        self.thread.setdefault((old.organization_id, old.id), []).append(reply)

    def update(self, old: Ticket, new: Ticket, mail: Sequence[OutboxMessage]) -> None:
        if self.get(old.organization_id, old.id).version != old.version:
            raise TicketChanged(old.id)
        self.tickets[(old.organization_id, old.id)] = new
        self.outbox.add(mail)


@dataclass
class FakeDirectory:
    users: dict[str, Person] = field(default_factory=dict)
    admin_ids: set[str] = field(default_factory=set)
    organizations: dict[str, str] = field(default_factory=dict)

    def add(self, user_id: str, name: str, *, admin: bool = False) -> Person:
        person = Person(user_id, name, f"{name.lower().replace(' ', '.')}@example.com")
        self.users[user_id] = person
        if admin:
            self.admin_ids.add(user_id)
        return person

    def person(self, user_id: str) -> Person | None:
        return self.users.get(user_id)

    def people(self, user_ids: Sequence[str]) -> list[Person]:
        return [self.users[u] for u in dict.fromkeys(user_ids) if u in self.users]

    def organization_name(self, org_id: str) -> str | None:
        return self.organizations.get(org_id)

    def admins(self) -> list[Person]:
        return self.people(sorted(self.admin_ids))

    def is_admin(self, user_id: str) -> bool:
        return user_id in self.admin_ids


@dataclass
class FakeLinks:
    resources: dict[tuple[str, ResourceKind, str], str] = field(default_factory=dict)

    def name_of(self, org_id: str, kind: ResourceKind, resource_id: str) -> str | None:
        return self.resources.get((org_id, kind, resource_id))


@dataclass(frozen=True)
class Sent:
    to: str
    template: str
    values: Mapping[str, str]


class FakeMailer:
    """Records what it sends; while `down`, or for an address in `refused`, raises ServiceUnavailable."""

    def __init__(self) -> None:
        self.sent: list[Sent] = []
        self.down = False
        self.refused: set[str] = set()

    def send(self, to: str, template: str, values: Mapping[str, str]) -> None:
        if self.down or to in self.refused:
            raise ServiceUnavailable("The mail server did not answer.")
        self.sent.append(Sent(to, template, dict(values)))


class RecordingNotifier:
    def __init__(self) -> None:
        self.notices: list[Notice] = []

    def notify(self, notice: Notice) -> None:
        self.notices.append(notice)


class CountingKick:
    def __init__(self) -> None:
        self.wakes = 0

    def wake(self) -> None:
        self.wakes += 1
