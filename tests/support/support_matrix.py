"""Support's rows of the authorization matrix, and the owner's ticket the cells name."""

from __future__ import annotations

from tests.support.matrix import Listing, Row, World

TICKET = {
    "subject": "Matrix",
    "message": "A ticket for the matrix.",
    "priority": "low",
    "category": "general",
}


def owners_ticket(world: World) -> str:
    """A new open ticket of the owner's organization."""
    reply = world.owner.call("POST", "/api/support/tickets", TICKET)
    assert reply.status == 201, reply.body
    return str(reply.body["ticket_id"])


def add_support_resources(world: World) -> None:
    world.makers["ticket_id"] = owners_ticket
    world.ids["ticket_id"] = owners_ticket(world)


SUPPORT_ROWS: dict[str, Row] = {
    # customers: the tickets of the organization acted in (another organization's ticket is 404 everywhere)
    "open_ticket": Row(body=lambda w: dict(TICKET)),
    "list_tickets": Row(lists=Listing("tickets", "ticket_id", field="ticket_id")),
    "get_ticket": Row(),
    "reply_to_ticket": Row(body=lambda w: {"message": "A reply."}),
    "close_ticket": Row(fresh=("ticket_id",)),
    "reopen_ticket": Row(),
    # operators: every organization's tickets
    "list_all_tickets": Row(),
    "get_any_ticket": Row(),
    "reply_as_support": Row(body=lambda w: {"message": "Support here."}),
    "update_ticket": Row(body=lambda w: {"status": "in_progress"}),
    "list_support_agents": Row(),
}
