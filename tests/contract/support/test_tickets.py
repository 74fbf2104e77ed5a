"""The Tickets and Outbox ports: TicketRepository/OutboxRepository against moto, and the fakes, alike."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from chalicelib.domain.shared.errors import NotFound, ValidationFailed
from chalicelib.domain.shared.ids import monotonic_ulid
from chalicelib.domain.support.entities import OutboxMessage, Reply, Ticket, TicketFilters
from chalicelib.domain.support.ports import Outbox, TicketChanged, Tickets
from tests.contract.builders import new_id
from tests.contract.conftest import IMPLEMENTATIONS
from tests.fakes.support import FakeOutbox, FakeTickets

T0 = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)


@dataclass(frozen=True)
class SupportStores:
    tickets: Tickets
    outbox: Outbox


@pytest.fixture(params=IMPLEMENTATIONS)
def stores(request: pytest.FixtureRequest) -> SupportStores:
    if request.param == "dynamodb":
        from chalicelib import wiring
        from chalicelib.store.support.outbox import OutboxRepository
        from chalicelib.store.support.repository import TicketRepository

        request.getfixturevalue("clean_tables")
        wiring.settings()
        return SupportStores(TicketRepository(), OutboxRepository())
    outbox = FakeOutbox()
    return SupportStores(FakeTickets(outbox), outbox)


def ticket(org_id: str, **fields: Any) -> Ticket:
    values: dict[str, Any] = {
        "id": monotonic_ulid(),
        "organization_id": org_id,
        "created_by": "u1",
        "author_name": "Ann",
        "subject": "Help",
        "message": "Please.",
        "status": "open",
        "priority": "medium",
        "category": "general",
        "created_at": T0,
        "updated_at": T0,
    }
    values.update(fields)
    return Ticket(**values)


def mail(org_id: str, due: datetime = T0) -> OutboxMessage:
    return OutboxMessage(
        id=monotonic_ulid(),
        organization_id=org_id,
        template="support_new_ticket",
        values={"subject": "Help"},
        audience="admins",
        created_at=T0,
        next_attempt_at=due,
    )


def test_a_ticket_reads_back_and_is_found_by_id_alone(stores: SupportStores) -> None:
    org = new_id()
    made = ticket(org, priority="urgent")
    stores.tickets.create(made, [])
    assert stores.tickets.get(org, made.id) == made
    assert stores.tickets.locate(made.id) == org
    assert stores.tickets.locate(monotonic_ulid()) is None
    with pytest.raises(NotFound):
        stores.tickets.get(new_id(), made.id)


def test_an_organizations_list_is_newest_first_filtered_and_paged(stores: SupportStores) -> None:
    org, other = new_id(), new_id()
    made = [ticket(org, priority=("low", "high")[n % 2]) for n in range(5)]
    for t in [*made, ticket(other)]:
        stores.tickets.create(t, [])
    seen: list[str] = []
    cursor: str | None = None
    while True:
        page = stores.tickets.page(org, TicketFilters(), 2, cursor)
        seen += [t.id for t in page.items]
        if not page.next_cursor:
            break
        cursor = page.next_cursor
    assert seen == [t.id for t in reversed(made)]
    high = stores.tickets.page(org, TicketFilters(priority="high"), 10, None)
    assert [t.id for t in high.items] == [made[3].id, made[1].id]
    with pytest.raises(ValidationFailed):
        stores.tickets.page(
            other, TicketFilters(), 2, stores.tickets.page(org, TicketFilters(), 2, None).next_cursor
        )


def test_the_operators_list_merges_statuses_and_organizations_newest_first(stores: SupportStores) -> None:
    orgs = [new_id(), new_id()]
    made = [ticket(orgs[n % 2], status=("open", "closed", "in_progress")[n % 3]) for n in range(7)]
    for t in made:
        stores.tickets.create(t, [])
    seen: list[str] = []
    cursor: str | None = None
    while True:
        page = stores.tickets.page_all(TicketFilters(), 3, cursor)
        seen += [t.id for t in page.items]
        if not page.next_cursor:
            break
        cursor = page.next_cursor
    assert seen == [t.id for t in reversed(made)]
    closed = stores.tickets.page_all(TicketFilters(status="closed", organization_id=orgs[0]), 10, None)
    assert [t.id for t in closed.items] == [
        t.id for t in reversed(made) if t.status == "closed" and t.organization_id == orgs[0]
    ]


def test_a_change_to_a_version_no_longer_current_is_refused_and_writes_nothing(stores: SupportStores) -> None:
    org = new_id()
    first = ticket(org)
    stores.tickets.create(first, [])
    moved = replace(first, status="resolved", version=2)
    stores.tickets.update(first, moved, [mail(org)])
    reply = Reply(monotonic_ulid(), first.id, org, "u1", "Ann", "late", False, T0)
    with pytest.raises(TicketChanged):
        stores.tickets.add_reply(first, replace(first, reply_count=1, version=2), reply, [mail(org)])
    assert stores.tickets.get(org, first.id).status == "resolved"
    assert stores.tickets.replies(org, first.id) == []
    assert len(stores.outbox.due(T0, 10)) == 1  # only the accepted change's mail
    # and a reply on the current version is kept, oldest first
    replies = [Reply(monotonic_ulid(), first.id, org, "u1", "Ann", text, False, T0) for text in ("a", "b")]
    current = moved
    for r in replies:
        after = replace(current, reply_count=current.reply_count + 1, version=current.version + 1)
        stores.tickets.add_reply(current, after, r, [])
        current = after
    assert [r.message for r in stores.tickets.replies(org, first.id)] == ["a", "b"]


def test_outbox_messages_come_when_due_and_one_run_at_a_time_holds_each(stores: SupportStores) -> None:
    org = new_id()
    soon, later = mail(org), mail(org, T0 + timedelta(minutes=5))
    stores.tickets.create(ticket(org), [soon, later])
    [due] = stores.outbox.due(T0, 10)
    assert due.id == soon.id and due.values == {"subject": "Help"}
    held = stores.outbox.claim(due, T0 + timedelta(minutes=5))
    assert held is not None and stores.outbox.claim(due, T0 + timedelta(minutes=5)) is None
    # A save by the holder keeps its progress; a save by a run that lost the message is ignored
    stores.outbox.save(
        replace(held, attempts=1, delivered_to=("a@example.com",), next_attempt_at=T0 + timedelta(minutes=1))
    )
    stores.outbox.save(replace(held, attempts=9))
    [kept] = [m for m in stores.outbox.due(T0 + timedelta(minutes=1), 10)]
    assert (kept.attempts, kept.delivered_to) == (1, ("a@example.com",))
    stores.outbox.remove(held)  # stale: left alone
    stores.outbox.remove(kept)
    assert [m.id for m in stores.outbox.due(T0 + timedelta(hours=1), 10)] == [later.id]
