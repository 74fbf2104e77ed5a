"""Invitations over HTTP against moto and the local SMTP server: mailed links, expiry, one use only."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

import pytest

from devstack.smtp import MailServer
from tests.support.api import Api, Reply, concurrent_requests
from tests.support.teams import act_in, invite

PARALLEL_ACCEPTS = 10


def test_an_invitation_is_mailed_and_its_link_makes_a_member(api: Api, smtp: MailServer) -> None:
    # Given Olivia and Dan, who has an account of his own
    olivia, dan = api.user("Olivia"), api.user("Dan")
    # When Olivia invites Dan as a developer
    issued = invite(olivia, dan.email, "developer")
    assert issued.status == 201 and issued.body["mailed"] is True
    # Then Dan got a mail with the same link the answer has
    [mail] = smtp.messages()
    assert mail["To"] == dan.email and "Olivia invited you" in str(mail["Subject"])
    assert issued.body["link"] in mail.get_content()
    # And the link shows Dan what it offers, and accepting it makes him a developer there
    preview = dan.call("GET", f"/api/invites/{issued.body['token']}")
    assert preview.status == 200
    assert (preview.body["organization_name"], preview.body["role"], preview.body["for_you"]) == (
        "Olivia's organization",
        "developer",
        True,
    )
    joined = dan.call("POST", f"/api/invites/{issued.body['token']}/accept")
    assert joined.status == 200 and joined.body["organization_id"] == olivia.org_id
    mine = dan.call("GET", "/api/organizations").body["organizations"]
    assert {"id": olivia.org_id, "name": "Olivia's organization", "role": "developer"} in mine
    # acting in Olivia's organization with the header
    listed = dan.call("GET", "/api/organization/members", headers=act_in(olivia.org_id))
    assert sorted(m["name"] for m in listed.body["members"]) == ["Dan", "Olivia"]
    assert olivia.call("GET", "/api/organization/invites").body["invites"] == []


def test_a_link_used_by_another_account_is_refused(api: Api) -> None:
    olivia, dan, eve = api.user("Olivia"), api.user("Dan"), api.user("Eve")
    token = invite(olivia, dan.email, "admin").body["token"]
    refused = eve.call("POST", f"/api/invites/{token}/accept")
    assert refused.status == 403 and "sign in with that address" in refused.body["error"]["message"]
    assert dan.email not in refused.body["error"]["message"]
    assert eve.call("GET", "/api/organization/members", headers=act_in(olivia.org_id)).status == 403


def test_an_invitation_expires(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    from chalicelib import wiring

    # Given invitations that last one second
    monkeypatch.setenv("CS_INVITE_TTL_SECONDS", "1")
    wiring.reset()
    olivia, dan = api.user("Olivia"), api.user("Dan")
    issued = invite(olivia, dan.email, "viewer").body
    # When Dan only gets to it after it expired
    expires = datetime.fromisoformat(issued["expires_at"])
    while datetime.now(UTC) <= expires:
        time.sleep(0.2)
    late = dan.call("POST", f"/api/invites/{issued['token']}/accept")
    # Then it is not found, saying it expired; he is not a member, and it is no longer pending
    assert late.status == 404 and "expired" in late.body["error"]["message"]
    assert dan.call("GET", "/api/organization/members", headers=act_in(olivia.org_id)).status == 403
    assert olivia.call("GET", "/api/organization/invites").body["invites"] == []


def test_ten_parallel_accepts_make_one_membership(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every accept has read the invitation as usable before any writes: the conditional write decides."""
    from chalicelib.store.teams.members import MemberRepository

    olivia, dan = api.user("Olivia"), api.user("Dan")
    token = invite(olivia, dan.email, "developer").body["token"]
    arrived = threading.Barrier(PARALLEL_ACCEPTS, timeout=60)
    join = MemberRepository.join

    def join_together(self: MemberRepository, *args: Any) -> None:
        arrived.wait()  # all ten are past the service's own checks
        join(self, *args)

    monkeypatch.setattr(MemberRepository, "join", join_together)

    def accept() -> Reply:
        return dan.call("POST", f"/api/invites/{token}/accept")

    with concurrent_requests(), ThreadPoolExecutor(PARALLEL_ACCEPTS) as pool:
        replies = list(pool.map(lambda _: accept(), range(PARALLEL_ACCEPTS)))
    statuses = sorted(r.status for r in replies)
    assert statuses == [200] + [409] * (PARALLEL_ACCEPTS - 1), [r.body for r in replies]
    members = olivia.call("GET", "/api/organization/members").body["members"]
    assert [m["user_id"] for m in members].count(dan.id) == 1
    mine = [
        o for o in dan.call("GET", "/api/organizations").body["organizations"] if o["id"] == olivia.org_id
    ]
    assert mine == [{"id": olivia.org_id, "name": "Olivia's organization", "role": "developer"}]


def test_a_declined_or_revoked_link_stops_working(api: Api) -> None:
    olivia, dan = api.user("Olivia"), api.user("Dan")
    declined = invite(olivia, dan.email, "viewer").body
    assert dan.call("POST", f"/api/invites/{declined['token']}/decline").status == 204
    again = dan.call("POST", f"/api/invites/{declined['token']}/accept")
    assert again.status == 409 and "declined" in again.body["error"]["message"]
    revoked = invite(olivia, dan.email, "viewer").body
    assert olivia.call("DELETE", f"/api/organization/invites/{revoked['id']}").status == 204
    assert dan.call("POST", f"/api/invites/{revoked['token']}/accept").status == 404
    assert dan.call("GET", f"/api/invites/{revoked['token']}").status == 404


def test_only_an_owner_invites_an_owner(api: Api) -> None:
    from tests.support.teams import join

    olivia, ada = api.user("Olivia"), api.user("Ada")
    join(olivia, ada, "admin")
    as_admin = ada.call(
        "POST",
        "/api/organization/invites",
        {"email": "x@example.com", "role": "owner"},
        headers=act_in(olivia.org_id),
    )
    assert as_admin.status == 403 and "Only an owner" in as_admin.body["error"]["message"]
    assert invite(olivia, "x@example.com", "owner").status == 201
