"""The audit trail over HTTP against moto: sign-ins from the address they came from, the organization's own
trail and nobody else's, pages, filters, CSV, and that no route can change or remove an entry."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.integration.accounts.conftest import Gateway
from tests.support.api import PASSWORD, Api, User


def trail(user: User, query: str = "", path: str = "/api/audit") -> list[dict[str, Any]]:
    """Every entry the user's view shows (all pages), newest first."""
    found: list[dict[str, Any]] = []
    cursor = ""
    for _ in range(50):
        reply = user.call("GET", f"{path}?limit=100{query}{cursor}")
        assert reply.status == 200, reply.body
        found += reply.body["entries"]
        if not reply.body["next_cursor"]:
            return found
        cursor = f"&cursor={reply.body['next_cursor']}"
    raise AssertionError("the trail did not end")


def one(entries: list[dict[str, Any]], action: str) -> dict[str, Any]:
    matching = [e for e in entries if e["action"] == action]
    assert len(matching) == 1, (action, [e["action"] for e in entries])
    return matching[0]


def test_sign_ins_are_in_the_owners_trail_with_the_address_they_came_from(api: Api, gateway: Gateway) -> None:
    # Given Ann's account
    ann = api.user("Ann")
    # When someone tries a wrong password from one address, then Ann signs in and out from another
    assert gateway.login(ann.email, "not her password", address="198.51.100.7").status == 401
    signed_in = gateway.login(ann.email, PASSWORD, address="203.0.113.5")
    assert signed_in.status == 200
    out = gateway.call("POST", "/api/auth/logout", token=signed_in.body["token"], address="203.0.113.5")
    assert out.status == 200
    # Then her organization's trail shows who did what, from where
    entries = trail(ann)
    failed = one(entries, "auth.login_failed")
    assert (failed["actor_id"], failed["ip"], failed["target_id"]) == ("anonymous", "198.51.100.7", ann.id)
    assert failed["after"] == {"email": ann.email}
    logins = [e for e in entries if e["action"] == "auth.login" and e["ip"] == "203.0.113.5"]
    assert len(logins) == 1 and logins[0]["actor_id"] == ann.id and logins[0]["actor_email"] == ann.email
    assert one(entries, "auth.logout")["ip"] == "203.0.113.5"
    assert one(entries, "user.registered")["actor_email"] == ann.email
    # newest first
    assert [e["id"] for e in entries] == sorted((e["id"] for e in entries), reverse=True)


def test_a_password_change_is_recorded_and_the_password_is_not(api: Api) -> None:
    ann = api.user("Ann")
    changed = ann.call(
        "PUT", "/api/users/profile", {"current_password": PASSWORD, "new_password": "a new long password"}
    )
    assert changed.status == 200
    ann.token = changed.body["token"]
    entry = one(trail(ann), "auth.password_changed")
    assert entry["actor_id"] == ann.id and entry["ip"] == "127.0.0.1"
    assert "a new long password" not in json.dumps(entry) and PASSWORD not in json.dumps(entry)


def test_an_organizations_trail_is_shown_to_it_alone(api: Api) -> None:
    # Given Ann's and Bob's organizations, each with its own entries
    ann, bob = api.user("Ann"), api.user("Bob")
    ann_ids = {e["id"] for e in trail(ann)}
    # Then Bob's trail holds none of Ann's entries, and naming her organization is refused
    assert ann_ids and not ann_ids & {e["id"] for e in trail(bob)}
    assert all(e["organization_id"] == bob.org_id for e in trail(bob))
    denied = bob.call("GET", "/api/audit", headers={"X-Organization-Id": ann.org_id})
    assert denied.status == 403
    # And a platform administrator sees both, or one organization's alone
    admin = api.admin()
    everything = {e["id"] for e in trail(admin, path="/api/admin/audit")}
    assert ann_ids <= everything
    only_ann = trail(admin, f"&organization_id={ann.org_id}", path="/api/admin/audit")
    assert {e["id"] for e in only_ann} == ann_ids


def test_pages_and_filters(api: Api) -> None:
    # Given Ann signed in four more times and failed once
    ann = api.user("Ann")
    for _ in range(4):
        assert api.call("POST", "/api/auth/login", {"email": ann.email, "password": PASSWORD}).status == 200
    api.call("POST", "/api/auth/login", {"email": ann.email, "password": "wrong password"})
    everything = trail(ann)
    # When her trail is read two entries at a time, then every entry comes once, newest first
    paged: list[str] = []
    cursor = ""
    while True:
        page = ann.call("GET", f"/api/audit?limit=2{cursor}")
        assert page.status == 200 and len(page.body["entries"]) <= 2
        paged += [e["id"] for e in page.body["entries"]]
        if not page.body["next_cursor"]:
            break
        cursor = f"&cursor={page.body['next_cursor']}"
    assert paged == [e["id"] for e in everything]
    # And filters narrow it: by action, by actor (email, any case), by time
    assert len(trail(ann, "&action=auth.login")) == 5
    assert [e["action"] for e in trail(ann, "&action=auth.login_failed")] == ["auth.login_failed"]
    assert {e["actor_id"] for e in trail(ann, f"&actor={ann.email.upper()}")} == {ann.id}
    future = (datetime.now(UTC) + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert trail(ann, f"&from={future}") == []
    assert ann.call("GET", "/api/audit?cursor=not-a-cursor").status == 400


def test_the_csv_export_holds_the_same_entries(api: Api) -> None:
    ann = api.user("Ann")
    reply = ann.call("GET", "/api/audit/export")
    assert reply.status == 200 and reply.headers["content-type"].startswith("text/csv")
    assert "attachment" in reply.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(reply.content.decode())))
    assert [r["id"] for r in rows] == [e["id"] for e in trail(ann)]
    assert {"at", "action", "actor_id", "actor_email", "ip", "before", "after"} <= set(rows[0])
    admin = api.admin()
    everything = admin.call("GET", f"/api/admin/audit/export?organization_id={ann.org_id}")
    assert everything.status == 200 and everything.content == reply.content


AUDIT_PATHS = ("/api/audit", "/api/audit/export", "/api/admin/audit", "/api/admin/audit/export")


def test_no_route_changes_or_removes_an_entry(api: Api) -> None:
    # Given Ann's trail and the platform's
    ann, admin = api.user("Ann"), api.admin()
    before_ann = trail(ann)
    before_all = trail(admin, path="/api/admin/audit")
    entry_id = before_ann[0]["id"]
    paths = [*AUDIT_PATHS, f"/api/audit/{entry_id}", f"/api/admin/audit/{entry_id}"]
    # When each of them tries every method that could change something, on every audit path
    answers = {
        (who, method, path): user.call(method, path, {"action": "auth.logout"}).status
        for who, user in (("owner", ann), ("admin", admin))
        for method in ("PUT", "PATCH", "DELETE", "POST")
        for path in paths
    }
    # Then the audit routes do not take those methods, there are no routes for single entries (a path
    # that is no route and carries a token is a 403 at the gateway, as API Gateway answers it), and the
    # entries are exactly as they were
    routes = {k: v for k, v in answers.items() if k[2] in AUDIT_PATHS}
    others = {k: v for k, v in answers.items() if k[2] not in AUDIT_PATHS}
    assert set(routes.values()) == {405}, routes
    assert set(others.values()) <= {403, 404, 405}, others
    assert trail(ann) == before_ann
    assert trail(admin, path="/api/admin/audit")[-len(before_all) :] == before_all


def test_the_store_writes_an_entry_once_and_never_over_it(api: Api) -> None:
    from dataclasses import replace

    from chalicelib.domain.audit.entities import AuditQuery
    from chalicelib.domain.audit.positions import ceiling_id
    from chalicelib.domain.shared.errors import Conflict
    from chalicelib.store.audit.repository import AuditRepository

    ann = api.user("Ann")
    store = AuditRepository()
    low = datetime(2020, 1, 1, tzinfo=UTC)
    [first, *_] = store.of_organization(
        ann.org_id, AuditQuery(), low, ceiling_id(datetime.now(UTC)), 1, 1
    ).entries
    with pytest.raises(Conflict):
        store.append(replace(first, action="auth.logout", after={"forged": True}))
    [again] = store.of_organization(ann.org_id, AuditQuery(), low, first.id, 1, 1).entries
    assert again == first
    assert not any(hasattr(store, name) for name in ("update", "delete", "remove", "put"))
