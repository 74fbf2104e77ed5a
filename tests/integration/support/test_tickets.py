"""Tickets over HTTP against moto: the seed's body and answer, statuses, lists, filters, pages, isolation."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.api import Api, User

BODY = {
    "subject": "Cannot deploy",
    "message": "The image is not found.",
    "priority": "high",
    "category": "technical",
}


def open_ticket(user: User, **fields: Any) -> dict[str, Any]:
    reply = user.call("POST", "/api/support/tickets", {**BODY, **fields})
    assert reply.status == 201, reply.body
    return dict(reply.body)


def statuses(user: User, ticket_id: str) -> str:
    return str(user.call("GET", f"/api/support/tickets/{ticket_id}").body["status"])


def test_the_seed_body_opens_a_ticket_that_reads_back_with_its_replies(api: Api) -> None:
    ann = api.user("Ann")
    # When Ann sends the seed's body
    created = open_ticket(ann)
    # Then the answer carries the seed's fields and the ticket as stored
    assert created["status"] == "open" and len(created["ticket_id"]) == 26
    assert (created["subject"], created["priority"], created["author_name"]) == (
        "Cannot deploy",
        "high",
        "Ann",
    )
    # When she and support reply, Then the thread lists both, oldest first, support's marked as such
    ticket = created["ticket_id"]
    assert ann.call("POST", f"/api/support/tickets/{ticket}/replies", {"message": "Any news?"}).status == 201
    admin = api.admin()
    assert (
        admin.call("POST", f"/api/admin/support/tickets/{ticket}/replies", {"message": "Looking."}).status
        == 201
    )
    thread = ann.call("GET", f"/api/support/tickets/{ticket}").body
    assert [(r["message"], r["is_admin_reply"]) for r in thread["replies"]] == [
        ("Any news?", False),
        ("Looking.", True),
    ]
    assert thread["reply_count"] == 2 and thread["status"] == "in_progress"


def test_status_changes_follow_the_rules_for_customers_and_operators(api: Api) -> None:
    ann, admin = api.user("Ann"), api.admin()
    ticket = open_ticket(ann)["ticket_id"]
    # Reopening an open ticket changes nothing; a customer closes it, then cannot reply to it
    reopened = ann.call("POST", f"/api/support/tickets/{ticket}/reopen")
    assert reopened.status == 200 and reopened.body["status"] == "open"
    closed = ann.call("POST", f"/api/support/tickets/{ticket}/close")
    assert closed.status == 200 and closed.body["status"] == "closed"
    refused = ann.call("POST", f"/api/support/tickets/{ticket}/replies", {"message": "more"})
    assert refused.status == 409 and refused.body["error"]["code"] == "conflict"
    assert ann.call("POST", f"/api/support/tickets/{ticket}/close").body == closed.body
    # A customer reopens a closed ticket
    assert ann.call("POST", f"/api/support/tickets/{ticket}/reopen").body["status"] == "open"
    # An operator moves it through in_progress and resolved; a customer reply to a resolved ticket reopens it
    for status in ("in_progress", "resolved"):
        moved = admin.call("PATCH", f"/api/admin/support/tickets/{ticket}", {"status": status})
        assert moved.status == 200 and moved.body["status"] == status
    assert (
        ann.call("POST", f"/api/support/tickets/{ticket}/replies", {"message": "Still broken"}).status == 201
    )
    assert statuses(ann, ticket) == "open"
    # An operator closes it; and an empty change is refused
    assert admin.call("PATCH", f"/api/admin/support/tickets/{ticket}", {"status": "closed"}).status == 200
    assert admin.call("PATCH", f"/api/admin/support/tickets/{ticket}", {}).status == 400
    assert statuses(ann, ticket) == "closed"


def test_lists_page_newest_first_and_filter_without_mixing_organizations(api: Api) -> None:
    ann, eve, admin = api.user("Ann"), api.user("Eve"), api.admin()
    made = [open_ticket(ann, subject=f"ticket {n}", priority=("low", "urgent")[n % 2]) for n in range(5)]
    theirs = open_ticket(eve, subject="Eve's")
    assert ann.call("POST", f"/api/support/tickets/{made[1]['ticket_id']}/close").status == 200
    # When Ann pages through her organization's tickets two at a time
    seen: list[str] = []
    cursor: str | None = None
    while True:
        page = ann.call("GET", "/api/support/tickets?limit=2" + (f"&cursor={cursor}" if cursor else "")).body
        seen += [t["ticket_id"] for t in page["tickets"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    # Then every one of hers comes once, newest first, and Eve's never
    assert seen == [t["ticket_id"] for t in reversed(made)]
    # And filters keep what matches (together, too)
    urgent = ann.call("GET", "/api/support/tickets?priority=urgent").body["tickets"]
    assert [t["subject"] for t in urgent] == ["ticket 3", "ticket 1"]
    open_urgent = ann.call("GET", "/api/support/tickets?priority=urgent&status=open").body["tickets"]
    assert [t["subject"] for t in open_urgent] == ["ticket 3"]
    # And a cursor of another list, or a filter value that is not one, is a 400 naming the field
    assert ann.call("GET", "/api/support/tickets?cursor=eyJwayI6eyJTIjoiWCJ9fQ").status == 400
    assert (
        ann.call("GET", "/api/support/tickets?status=lost").body["error"]["details"][0]["field"] == "status"
    )
    # When an operator pages through every ticket across statuses, Then all six come, newest first
    everything: list[str] = []
    cursor = None
    while True:
        page = admin.call(
            "GET", "/api/admin/support/tickets?limit=2" + (f"&cursor={cursor}" if cursor else "")
        ).body
        everything += [t["ticket_id"] for t in page["tickets"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert everything == [theirs["ticket_id"], *[t["ticket_id"] for t in reversed(made)]]
    # And the operators' filters narrow it by status, organization or assignee
    closed = admin.call("GET", "/api/admin/support/tickets?status=closed").body["tickets"]
    assert [t["ticket_id"] for t in closed] == [made[1]["ticket_id"]]
    of_eve = admin.call("GET", f"/api/admin/support/tickets?organization_id={eve.org_id}").body["tickets"]
    assert [t["ticket_id"] for t in of_eve] == [theirs["ticket_id"]]
    assigned = admin.call(
        "PATCH", f"/api/admin/support/tickets/{theirs['ticket_id']}", {"assignee_id": admin.id}
    )
    assert assigned.status == 200 and assigned.body["assignee_id"] == admin.id
    mine = admin.call("GET", f"/api/admin/support/tickets?assignee_id={admin.id}").body["tickets"]
    assert [t["ticket_id"] for t in mine] == [theirs["ticket_id"]]


def test_another_organizations_ticket_is_not_found_and_not_listed(api: Api) -> None:
    ann, eve = api.user("Ann"), api.user("Eve")
    ticket = open_ticket(ann)["ticket_id"]
    for method, path, body in [
        ("GET", f"/api/support/tickets/{ticket}", None),
        ("POST", f"/api/support/tickets/{ticket}/replies", {"message": "hi"}),
        ("POST", f"/api/support/tickets/{ticket}/close", None),
        ("POST", f"/api/support/tickets/{ticket}/reopen", None),
    ]:
        reply = eve.call(method, path, body)
        assert reply.status == 404 and reply.body["error"]["code"] == "not_found", (method, path)
    assert eve.call("GET", "/api/support/tickets").body["tickets"] == []
    assert statuses(ann, ticket) == "open"


def test_a_retried_create_with_the_same_idempotency_key_opens_one_ticket(api: Api) -> None:
    ann = api.user("Ann")
    headers = {"Idempotency-Key": "ticket-retry-0001"}
    first = ann.call("POST", "/api/support/tickets", BODY, headers=headers)
    again = ann.call("POST", "/api/support/tickets", BODY, headers=headers)
    assert first.status == again.status == 201 and first.body["ticket_id"] == again.body["ticket_id"]
    assert again.headers.get("idempotent-replayed") == "true"
    assert len(ann.call("GET", "/api/support/tickets").body["tickets"]) == 1


def test_assigning_to_someone_who_is_not_an_administrator_is_refused(api: Api) -> None:
    ann, admin = api.user("Ann"), api.admin()
    ticket = open_ticket(ann)["ticket_id"]
    refused = admin.call("PATCH", f"/api/admin/support/tickets/{ticket}", {"assignee_id": ann.id})
    assert refused.status == 400 and refused.body["error"]["details"][0]["field"] == "assignee_id"
    agents = admin.call("GET", "/api/admin/support/agents").body["agents"]
    assert admin.id in {a["id"] for a in agents} and ann.id not in {a["id"] for a in agents}


@pytest.mark.docker
def test_a_ticket_links_a_container_of_the_organization(api: Api, default_host: str, test_image: str) -> None:
    ann, eve = api.user("Ann"), api.user("Eve")
    created = ann.call(
        "POST",
        "/api/containers",
        {"name": "web", "image": test_image, "resources": {"cpu": "0.1", "memory": "16Mi"}},
    )
    assert created.status == 202, created.body
    container = created.body["id"]
    ann.wait_for(container)
    # When Ann links her container, Then the ticket names it
    linked = open_ticket(ann, resource={"kind": "container", "id": container})
    assert linked["resource"] == {"kind": "container", "id": container, "name": "web"}
    # When Eve links Ann's container, Then it is refused as if it did not exist
    refused = eve.call(
        "POST", "/api/support/tickets", {**BODY, "resource": {"kind": "container", "id": container}}
    )
    assert refused.status == 400 and refused.body["error"]["details"][0]["field"] == "resource"
