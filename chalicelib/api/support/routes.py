"""Seed routes for support tickets: a customer's tickets, their replies, closing and reopening."""

from __future__ import annotations

from chalicelib.api.http import Call, endpoint
from chalicelib.api.support import admin_routes as _operators  # noqa: F401 - registers the operators' routes on bp
from chalicelib.api.support.blueprint import bp as bp
from chalicelib.api.support.schemas import (
    ReplyIn,
    ReplyOut,
    ThreadOut,
    TicketIn,
    TicketListOut,
    TicketOut,
    TicketQuery,
)
from chalicelib.domain.shared.roles import ANY_MEMBER
from chalicelib.wiring.support import get_support

TAG = "support"


@endpoint(
    bp,
    "/api/support/tickets",
    "POST",
    summary="Open a ticket (support is mailed at once; the answer does not wait for the mail)",
    tag=TAG,
    status=201,
    request=TicketIn,
    response=TicketOut,
    idempotent=True,
    roles=ANY_MEMBER,
)
def open_ticket(call: Call) -> TicketOut:
    body: TicketIn = call.body
    return TicketOut.of(get_support().open(call.principal, body.to_domain()))


@endpoint(
    bp,
    "/api/support/tickets",
    "GET",
    summary="The organization's tickets, newest first, filtered by status, priority and category",
    tag=TAG,
    query=TicketQuery,
    response=TicketListOut,
)
def list_tickets(call: Call) -> TicketListOut:
    q: TicketQuery = call.query
    page = get_support().page(call.principal, q.filters(), q.limit, q.cursor)
    return TicketListOut(tickets=[TicketOut.of(t) for t in page.items], next_cursor=page.next_cursor)


@endpoint(
    bp,
    "/api/support/tickets/{ticket_id}",
    "GET",
    summary="One ticket with its replies, oldest first",
    tag=TAG,
    response=ThreadOut,
    errors=(404,),
)
def get_ticket(call: Call, ticket_id: str) -> ThreadOut:
    return ThreadOut.of_thread(get_support().thread(call.principal, ticket_id))


@endpoint(
    bp,
    "/api/support/tickets/{ticket_id}/replies",
    "POST",
    summary="Reply to a ticket (a resolved ticket opens again; a closed one must be reopened first)",
    tag=TAG,
    status=201,
    request=ReplyIn,
    response=ReplyOut,
    errors=(404, 409),
    idempotent=True,
    roles=ANY_MEMBER,
)
def reply_to_ticket(call: Call, ticket_id: str) -> ReplyOut:
    body: ReplyIn = call.body
    return ReplyOut.of(get_support().reply(call.principal, ticket_id, body.message))


@endpoint(
    bp,
    "/api/support/tickets/{ticket_id}/close",
    "POST",
    summary="Close a ticket (one already closed stays as it is)",
    tag=TAG,
    response=TicketOut,
    errors=(404, 409),
    roles=ANY_MEMBER,
)
def close_ticket(call: Call, ticket_id: str) -> TicketOut:
    return TicketOut.of(get_support().close(call.principal, ticket_id))


@endpoint(
    bp,
    "/api/support/tickets/{ticket_id}/reopen",
    "POST",
    summary="Reopen a resolved or closed ticket (support is mailed; an open one stays as it is)",
    tag=TAG,
    response=TicketOut,
    errors=(404, 409),
    roles=ANY_MEMBER,
)
def reopen_ticket(call: Call, ticket_id: str) -> TicketOut:
    return TicketOut.of(get_support().reopen(call.principal, ticket_id))
