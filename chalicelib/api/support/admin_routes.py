"""Operators' support routes: every organization's tickets, replies as support, assignment and status."""

from __future__ import annotations

from chalicelib.api.http import Call, endpoint
from chalicelib.api.support.blueprint import bp
from chalicelib.api.support.schemas import (
    AdminTicketQuery,
    AgentListOut,
    AgentOut,
    ReplyIn,
    ReplyOut,
    ThreadOut,
    TicketListOut,
    TicketOut,
    TicketUpdateIn,
)
from chalicelib.wiring.support import get_operator_desk

TAG = "admin"


@endpoint(
    bp,
    "/api/admin/support/tickets",
    "GET",
    summary="Every organization's tickets, newest first, filtered by status, priority, category, "
    "organization and assignee",
    tag=TAG,
    auth="admin",
    query=AdminTicketQuery,
    response=TicketListOut,
)
def list_all_tickets(call: Call) -> TicketListOut:
    q: AdminTicketQuery = call.query
    page = get_operator_desk().page(call.principal, q.filters(), q.limit, q.cursor)
    return TicketListOut(tickets=[TicketOut.of(t) for t in page.items], next_cursor=page.next_cursor)


@endpoint(
    bp,
    "/api/admin/support/tickets/{ticket_id}",
    "GET",
    summary="Any ticket with its replies",
    tag=TAG,
    auth="admin",
    response=ThreadOut,
    errors=(404,),
)
def get_any_ticket(call: Call, ticket_id: str) -> ThreadOut:
    return ThreadOut.of_thread(get_operator_desk().thread(call.principal, ticket_id))


@endpoint(
    bp,
    "/api/admin/support/tickets/{ticket_id}/replies",
    "POST",
    summary="Reply as support (is_admin_reply; the customer is mailed; an open ticket goes in progress)",
    tag=TAG,
    auth="admin",
    status=201,
    request=ReplyIn,
    response=ReplyOut,
    errors=(404, 409),
    idempotent=True,
)
def reply_as_support(call: Call, ticket_id: str) -> ReplyOut:
    body: ReplyIn = call.body
    return ReplyOut.of(get_operator_desk().reply(call.principal, ticket_id, body.message))


@endpoint(
    bp,
    "/api/admin/support/tickets/{ticket_id}",
    "PATCH",
    summary="Set a ticket's status (the customer is mailed) and/or assign it to an administrator",
    tag=TAG,
    auth="admin",
    request=TicketUpdateIn,
    response=TicketOut,
    errors=(404, 409),
)
def update_ticket(call: Call, ticket_id: str) -> TicketOut:
    body: TicketUpdateIn = call.body
    return TicketOut.of(get_operator_desk().update(call.principal, ticket_id, body.to_domain()))


@endpoint(
    bp,
    "/api/admin/support/agents",
    "GET",
    summary="The administrators tickets can be assigned to",
    tag=TAG,
    auth="admin",
    response=AgentListOut,
)
def list_support_agents(call: Call) -> AgentListOut:
    return AgentListOut(agents=[AgentOut.of(p) for p in get_operator_desk().agents(call.principal)])
