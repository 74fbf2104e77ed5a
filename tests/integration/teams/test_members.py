"""Members and roles over HTTP against moto: the edge refuses what a role may not do, the last owner stays."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from tests.support.api import Api, Reply, User, concurrent_requests
from tests.support.teams import act_in, call_in, join


def test_each_role_is_refused_what_it_may_not_do_naming_the_roles_needed(api: Api) -> None:
    # Given Olivia's organization with a viewer, a billing member and a developer
    olivia = api.user("Olivia")
    vic, bea, dev = api.user("Vic"), api.user("Bea"), api.user("Dev")
    for member, role in ((vic, "viewer"), (bea, "billing"), (dev, "developer")):
        join(olivia, member, role)
    org = olivia.org_id
    deploy = {"name": "web", "image": "busybox:1", "resources": {"cpu": "0.1", "memory": "16Mi"}}
    # When they read, deploy, top up and invite
    # Then reads work for all; deploying needs owner, admin or developer; money needs owner, admin or billing
    for member in (vic, bea, dev):
        assert call_in(member, org, "GET", "/api/containers").status == 200
        assert call_in(member, org, "GET", "/api/billing/wallet").status == 200
    refused = call_in(vic, org, "POST", "/api/containers", deploy)
    assert refused.status == 403
    assert refused.body["error"]["message"] == (
        "This needs the owner, admin or developer role in this organization; yours is viewer."
    )
    assert refused.body["error"]["details"] == {
        "required_roles": ["owner", "admin", "developer"],
        "role": "viewer",
    }
    assert call_in(bea, org, "POST", "/api/containers", deploy).status == 403
    top_up = call_in(
        dev, org, "POST", "/api/billing/wallet/add-funds", {"amount": "10.00", "payment_method": "paypal"}
    )
    assert top_up.status == 403 and "owner, admin or billing" in top_up.body["error"]["message"]
    invited = call_in(
        dev, org, "POST", "/api/organization/invites", {"email": "x@example.com", "role": "viewer"}
    )
    assert invited.status == 403 and "owner or admin" in invited.body["error"]["message"]
    # and each still owns their own organization, where they may do anything
    assert vic.call("POST", "/api/projects", {"name": "mine"}).status == 201


def test_the_api_document_states_the_roles_of_every_organization_route(api: Api) -> None:
    document = api.call("GET", "/api/openapi.json").body
    deploy = document["paths"]["/api/containers"]["post"]
    assert deploy["x-roles"] == ["owner", "admin", "developer"]
    assert "owner, admin, developer" in deploy["description"]
    assert document["paths"]["/api/billing/wallet/add-funds"]["post"]["x-roles"] == [
        "owner",
        "admin",
        "billing",
    ]
    assert document["paths"]["/api/organization/members/{user_id}"]["put"]["x-roles"] == ["owner", "admin"]
    every = ["owner", "admin", "developer", "billing", "viewer"]
    assert document["paths"]["/api/containers"]["get"]["x-roles"] == every
    assert "x-roles" not in document["paths"]["/api/invites/{token}/accept"]["post"]


def test_a_role_change_counts_from_the_next_request(api: Api) -> None:
    olivia, vic = api.user("Olivia"), api.user("Vic")
    join(olivia, vic, "viewer")
    assert call_in(vic, olivia.org_id, "POST", "/api/projects", {"name": "a"}).status == 403
    promoted = olivia.call("PUT", f"/api/organization/members/{vic.id}", {"role": "admin"})
    assert promoted.status == 200 and promoted.body["role"] == "admin"
    assert call_in(vic, olivia.org_id, "POST", "/api/projects", {"name": "a"}).status == 201
    mine = [
        o for o in vic.call("GET", "/api/organizations").body["organizations"] if o["id"] == olivia.org_id
    ]
    assert mine[0]["role"] == "admin"


def test_a_removed_member_loses_access_at_once(api: Api) -> None:
    olivia, dev = api.user("Olivia"), api.user("Dev")
    join(olivia, dev, "developer")
    assert call_in(dev, olivia.org_id, "GET", "/api/containers").status == 200
    assert olivia.call("DELETE", f"/api/organization/members/{dev.id}").status == 204
    gone = call_in(dev, olivia.org_id, "GET", "/api/containers")
    assert (
        gone.status == 403 and gone.body["error"]["message"] == "You are not a member of this organization."
    )
    assert olivia.org_id not in [o["id"] for o in dev.call("GET", "/api/organizations").body["organizations"]]


def test_the_last_owner_cannot_leave_or_be_demoted_but_another_owner_frees_them(api: Api) -> None:
    # Given Olivia, the only owner, and Oscar, an admin
    olivia, oscar = api.user("Olivia"), api.user("Oscar")
    join(olivia, oscar, "admin")
    # When Olivia tries to leave or to step down
    leaving = olivia.call("POST", "/api/organization/leave")
    stepping_down = olivia.call("PUT", f"/api/organization/members/{olivia.id}", {"role": "admin"})
    # Then both are refused: the organization keeps an owner
    assert leaving.status == 409 and leaving.body["error"]["code"] == "last_owner"
    assert stepping_down.status == 409 and stepping_down.body["error"]["code"] == "last_owner"
    # And an admin may not touch an owner
    assert call_in(oscar, olivia.org_id, "DELETE", f"/api/organization/members/{olivia.id}").status == 403
    # When Olivia makes Oscar an owner, she may leave
    assert olivia.call("PUT", f"/api/organization/members/{oscar.id}", {"role": "owner"}).status == 200
    assert olivia.call("POST", "/api/organization/leave").status == 204
    members = call_in(oscar, olivia.org_id, "GET", "/api/organization/members").body["members"]
    assert [(m["name"], m["role"]) for m in members] == [("Oscar", "owner")]


def test_two_owners_demoting_each_other_at_once_leave_one_owner(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both changes read two owners before either writes: the owner count's condition decides."""
    from chalicelib.store.teams.members import MemberRepository

    olivia, oscar = api.user("Olivia"), api.user("Oscar")
    join(olivia, oscar, "owner")
    arrived = threading.Barrier(2, timeout=60)
    change = MemberRepository.change_member

    def change_together(self: MemberRepository, *args: Any) -> None:
        arrived.wait()
        change(self, *args)

    monkeypatch.setattr(MemberRepository, "change_member", change_together)

    def demote(by: User, whom: str) -> Reply:
        return by.call(
            "PUT", f"/api/organization/members/{whom}", {"role": "viewer"}, headers=act_in(olivia.org_id)
        )

    with concurrent_requests(), ThreadPoolExecutor(2) as pool:
        replies = list(pool.map(lambda pair: demote(*pair), [(olivia, oscar.id), (oscar, olivia.id)]))
    assert sorted(r.status for r in replies) == [200, 409]
    members = olivia.call("GET", "/api/organization/members", headers=act_in(olivia.org_id)).body["members"]
    assert [m["role"] for m in members].count("owner") == 1


def test_project_limits_are_set_and_shown(api: Api) -> None:
    olivia, dev = api.user("Olivia"), api.user("Dev")
    join(olivia, dev, "developer")
    web = olivia.call("POST", "/api/projects", {"name": "web"}).body["id"]
    limited = olivia.call("PUT", f"/api/organization/members/{dev.id}", {"project_ids": [web]})
    assert limited.status == 200 and limited.body["project_ids"] == [web]
    listed = {m["user_id"]: m for m in olivia.call("GET", "/api/organization/members").body["members"]}
    assert listed[dev.id]["project_ids"] == [web] and listed[olivia.id]["project_ids"] is None
    freed = olivia.call("PUT", f"/api/organization/members/{dev.id}", {"project_ids": None})
    assert freed.status == 200 and freed.body["project_ids"] is None
    unknown = olivia.call(
        "PUT", f"/api/organization/members/{dev.id}", {"project_ids": ["01JAAAAAAAAAAAAAAAAAAAAAAA"]}
    )
    assert unknown.status == 404 and unknown.body["error"]["details"][0]["field"] == "project_ids"
