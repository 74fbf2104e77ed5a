"""Operators' desk: every organization's tickets, replies as support, status and assignment."""

from __future__ import annotations

import pytest

from chalicelib.domain.shared.errors import Conflict, NotFound, ValidationFailed
from chalicelib.domain.support.desk import TicketUpdate
from chalicelib.domain.support.entities import TicketFilters, TicketRequest
from tests.unit.support.conftest import OTHER_ORG, World


def test_operators_see_every_organizations_tickets_and_filter_them(world: World) -> None:
    # Given tickets of two organizations
    ann = world.open("Ann's", priority="urgent")
    eve = world.support.open(world.eve, TicketRequest("Eve's", "hello", "low", "billing"))
    # When an operator lists them, Then both come, newest first
    assert [t.id for t in world.desk.page(world.ops, TicketFilters(), 10, None).items] == [eve.id, ann.id]
    # And filters by organization or priority keep what matches
    by_org = world.desk.page(world.ops, TicketFilters(organization_id=OTHER_ORG), 10, None)
    assert [t.id for t in by_org.items] == [eve.id]
    urgent = world.desk.page(world.ops, TicketFilters(priority="urgent"), 10, None)
    assert [t.id for t in urgent.items] == [ann.id]


def test_a_support_reply_mails_the_customer_notifies_and_takes_the_ticket_in_hand(world: World) -> None:
    # Given Ann's open ticket
    ticket = world.open("Cannot deploy")
    world.deliver()
    # When an operator replies
    reply = world.desk.reply(world.ops, ticket.id, "We are on it.")
    # Then the reply is support's, the ticket is in progress, and Ann is notified in the app
    assert reply.is_admin_reply and reply.author_name == "Olga Ops"
    thread = world.desk.thread(world.ops, ticket.id)
    assert thread.ticket.status == "in_progress" and thread.ticket.last_reply_by_admin
    [notice] = world.notifier.notices
    assert (notice.kind, notice.organization_id, notice.resource_id) == (
        "ticket.reply",
        ticket.organization_id,
        ticket.id,
    )
    # And once the mail function runs, Ann (and only Ann) got the reply with a link to her ticket
    assert world.deliver() == ["ann@example.com"]
    sent = world.mailer.sent[-1]
    assert sent.template == "support_admin_reply" and sent.values["message"] == "We are on it."
    assert sent.values["link"] == f"https://app.example.com/support/{ticket.id}"


def test_a_status_change_mails_the_customer_and_the_same_status_changes_nothing(world: World) -> None:
    # Given Ann's ticket
    ticket = world.open()
    world.deliver()
    # When an operator resolves it
    resolved = world.desk.update(world.ops, ticket.id, TicketUpdate(status="resolved"))
    # Then it is resolved; Ann is told by mail and in the app
    assert resolved.status == "resolved"
    assert world.deliver() == ["ann@example.com"]
    assert world.mailer.sent[-1].values["previous_status"] == "open"
    assert [n.kind for n in world.notifier.notices] == ["ticket.status"]
    # When the operator sets the same status again, Then nothing changes and nobody is mailed
    again = world.desk.update(world.ops, ticket.id, TicketUpdate(status="resolved"))
    assert again.version == resolved.version and world.deliver() == []


def test_tickets_are_assigned_to_administrators_only_and_the_assignee_is_told(world: World) -> None:
    ticket = world.open()
    world.deliver()
    # When Olga assigns the ticket to Sam, Then Sam is mailed
    assigned = world.desk.update(world.ops, ticket.id, TicketUpdate(assign=True, assignee_id="sam"))
    assert assigned.assignee_id == "sam"
    assert world.deliver() == ["sam.support@example.com"]
    # When Olga takes it herself, Then nobody is mailed; unassigning works too
    world.desk.update(world.ops, ticket.id, TicketUpdate(assign=True, assignee_id="ops"))
    assert world.deliver() == []
    assert (
        world.desk.update(world.ops, ticket.id, TicketUpdate(assign=True, assignee_id=None)).assignee_id
        is None
    )
    # When she names a customer, Then it is refused naming the field
    with pytest.raises(ValidationFailed) as refused:
        world.desk.update(world.ops, ticket.id, TicketUpdate(assign=True, assignee_id="bob"))
    assert refused.value.details == {"field": "assignee_id"}


def test_operators_cannot_reply_to_a_closed_ticket_nor_find_a_missing_one(world: World) -> None:
    ticket = world.open()
    world.desk.update(world.ops, ticket.id, TicketUpdate(status="closed"))
    with pytest.raises(Conflict):
        world.desk.reply(world.ops, ticket.id, "hello?")
    with pytest.raises(NotFound):
        world.desk.thread(world.ops, "01J0000000000000000000000Z")


def test_the_agents_are_the_administrators_by_name(world: World) -> None:
    assert [p.name for p in world.desk.agents(world.ops)] == ["Olga Ops", "Sam Support"]
