"""A customer's tickets: opening, listing, replying, closing and reopening, and the mail each one queues."""

from __future__ import annotations

import pytest

from chalicelib.domain.shared.errors import Conflict, NotFound, ValidationFailed
from chalicelib.domain.support.desk import TicketUpdate
from chalicelib.domain.support.entities import ResourceLink, Ticket, TicketFilters, TicketRequest
from chalicelib.domain.support.ports import TicketChanged
from tests.unit.support.conftest import ORG, SUPPORT_ADDRESS, World


def test_opening_a_ticket_answers_at_once_and_queues_mail_for_every_operator(world: World) -> None:
    # Given a customer, two administrators and a support address
    # When the customer opens a ticket
    ticket = world.open("Cannot deploy", priority="urgent")
    # Then it is open, and nothing was mailed yet: the mail waits in the outbox
    assert ticket.status == "open"
    assert ticket.author_name == "Ann" and ticket.organization_name == "Ann's organization"
    assert world.mailer.sent == [] and world.kick.wakes == 1
    # When the mail function runs
    mailed = world.deliver()
    # Then both administrators and the support address got "new ticket", naming the customer and the subject
    assert sorted(mailed) == sorted(["olga.ops@example.com", "sam.support@example.com", SUPPORT_ADDRESS])
    sent = world.mailer.sent[0]
    assert sent.template == "support_new_ticket"
    assert sent.values["subject"] == "Cannot deploy" and sent.values["priority"] == "urgent"
    assert sent.values["author_email"] == "ann@example.com"
    assert sent.values["link"] == f"https://app.example.com/admin/support/{ticket.id}"
    assert world.outbox.messages == {}


def test_a_ticket_links_a_resource_of_the_organization_only(world: World) -> None:
    # Given a container of Ann's organization
    world.links.resources[(ORG, "container", "c-1")] = "web"
    # When she links it, Then the ticket names it
    ticket = world.open(resource=ResourceLink("container", "c-1"))
    assert ticket.resource == ResourceLink("container", "c-1", "web")
    # When she links something her organization does not have, Then it is refused naming the field
    with pytest.raises(ValidationFailed) as refused:
        world.open(resource=ResourceLink("vps", "v-9"))
    assert refused.value.details == {"field": "resource"}


def test_the_list_is_newest_first_filtered_and_paged(world: World) -> None:
    # Given five tickets of Ann's organization and one of another
    made = [world.open(f"ticket {n}", priority="low" if n % 2 else "high") for n in range(5)]
    world.support.open(world.eve, TicketRequest("Eve's", "hello", "low", "general"))
    # When a member lists them two at a time
    first = world.support.page(world.bob, TicketFilters(), 2, None)
    second = world.support.page(world.bob, TicketFilters(), 2, first.next_cursor)
    third = world.support.page(world.bob, TicketFilters(), 2, second.next_cursor)
    # Then every ticket of the organization comes once, newest first, and nothing of the other
    listed = [t.id for t in first.items + second.items + third.items]
    assert listed == [t.id for t in reversed(made)] and third.next_cursor is None
    # And a filter keeps what matches
    low = world.support.page(world.bob, TicketFilters(priority="low"), 10, None)
    assert [t.subject for t in low.items] == ["ticket 3", "ticket 1"]


def test_another_organizations_ticket_is_not_found_anywhere(world: World) -> None:
    # Given Ann's ticket
    ticket = world.open()
    # When a member of another organization reads, replies, closes or reopens it, Then it is "not found"
    for attempt in (
        lambda: world.support.thread(world.eve, ticket.id),
        lambda: world.support.reply(world.eve, ticket.id, "mine now"),
        lambda: world.support.close(world.eve, ticket.id),
        lambda: world.support.reopen(world.eve, ticket.id),
    ):
        with pytest.raises(NotFound):
            attempt()
    # And a malformed id is "not found" as well
    with pytest.raises(NotFound):
        world.support.thread(world.ann, "../../etc")


def test_a_customer_reply_is_threaded_and_mailed_to_operators(world: World) -> None:
    # Given Ann's ticket, its "new ticket" mail already sent
    ticket = world.open()
    world.deliver()
    # When Bob (same organization) replies
    reply = world.support.reply(world.bob, ticket.id, "Still broken.")
    # Then the thread shows it, and the operators are mailed the reply
    thread = world.support.thread(world.ann, ticket.id)
    assert [(r.author_name, r.message, r.is_admin_reply) for r in thread.replies] == [
        ("Bob", "Still broken.", False)
    ]
    assert thread.ticket.reply_count == 1 and reply.ticket_id == ticket.id
    world.deliver()
    assert {s.template for s in world.mailer.sent[-3:]} == {"support_customer_reply"}
    assert world.mailer.sent[-1].values["message"] == "Still broken."


def test_close_and_reopen_follow_the_status_rules(world: World) -> None:
    # Given an open ticket
    ticket = world.open()
    world.deliver()
    # When Ann reopens it, Then nothing changes (it is open) and nobody is mailed
    assert world.support.reopen(world.ann, ticket.id).version == ticket.version
    # When she closes it, Then it is closed and takes no reply; closing again changes nothing
    closed = world.support.close(world.ann, ticket.id)
    assert closed.status == "closed"
    with pytest.raises(Conflict):
        world.support.reply(world.ann, ticket.id, "one more thing")
    assert world.support.close(world.ann, ticket.id).version == closed.version
    # When she reopens it, Then it is open, and the operators hear of it
    assert world.support.reopen(world.ann, ticket.id).status == "open"
    assert {s.template for s in world.mailer.sent[-3:]} == {"support_new_ticket"}
    world.deliver()
    assert [s.template for s in world.mailer.sent[3:]] == ["support_ticket_reopened"] * 3


def test_a_customer_reply_to_a_resolved_ticket_opens_it_again(world: World) -> None:
    # Given a ticket support resolved
    ticket = world.open()
    world.desk.update(world.ops, ticket.id, TicketUpdate(status="resolved"))
    # When the customer answers
    world.support.reply(world.ann, ticket.id, "No, it is not fixed.")
    # Then the ticket is open again
    assert world.support.thread(world.ann, ticket.id).ticket.status == "open"


def test_a_reply_racing_another_change_is_applied_on_the_new_version(world: World) -> None:
    # Given a store where another change lands just before Ann's first write
    ticket = world.open()
    original = world.tickets.add_reply
    raced = [False]

    def racing(old: Ticket, new: Ticket, reply: object, mail: object) -> None:
        if not raced[0]:
            raced[0] = True
            world.desk.update(world.ops, ticket.id, TicketUpdate(assign=True, assignee_id="sam"))
            raise TicketChanged(old.id)
        original(old, new, reply, mail)  # type: ignore[arg-type]

    world.tickets.add_reply = racing  # type: ignore[method-assign]
    # When she replies
    world.support.reply(world.ann, ticket.id, "Any news?")
    # Then both changes are kept
    thread = world.support.thread(world.ann, ticket.id)
    assert thread.ticket.assignee_id == "sam" and [r.message for r in thread.replies] == ["Any news?"]
