"""VPS instances in projects: a member limited to projects sees, buys and acts on theirs only, and a VPS
counts in its project until it is gone (the API, moto's workflows, a fake provider)."""

from __future__ import annotations

from tests.support.api import Api
from tests.support.teams import call_in, join
from tests.support.vps import Linode, buy, fund, wait_for_vps, wait_until_gone

MISSING_PROJECT = "01JAAAAAAAAAAAAAAAAAAAAAAA"


def body(plan_id: str, label: str, **extra: object) -> dict[str, object]:
    return {"plan_id": plan_id, "region": "us-east", "label": label, **extra}


def test_a_member_limited_to_a_project_sees_and_buys_vps_there_only(api: Api, linode: Linode) -> None:
    # Given Olivia's project web, a VPS in it and one in no project
    olivia, dev = api.user("Olivia"), api.user("Dev")
    fund(linode.admin, olivia, "50.00")
    web = olivia.call("POST", "/api/projects", {"name": "web"}).body["id"]
    in_web = wait_for_vps(olivia, buy(olivia, linode.plan(), "site", project_id=web)["id"])
    loose = wait_for_vps(olivia, buy(olivia, linode.plan(), "loose")["id"])
    assert in_web["project_id"] == web and loose["project_id"] is None
    assert olivia.call("GET", f"/api/projects/{web}").body["resource_count"] == 1
    # And Dev, a developer limited to the web project
    join(olivia, dev, "developer", project_ids=[web])
    org = olivia.org_id

    # When Dev lists and opens VPS instances
    listed = [v["id"] for v in call_in(dev, org, "GET", "/api/vps").body["vps"]]

    # Then only the web project's is there; the other answers 404 like a missing one, for reads and actions
    assert listed == [in_web["id"]]
    assert call_in(dev, org, "GET", f"/api/vps/{in_web['id']}").status == 200
    assert call_in(dev, org, "GET", f"/api/vps/{loose['id']}").status == 404
    assert call_in(dev, org, "POST", f"/api/vps/{loose['id']}/reboot").status == 404
    assert call_in(dev, org, "DELETE", f"/api/vps/{loose['id']}").status == 404
    # And Dev buys into the web project only
    nowhere = call_in(dev, org, "POST", "/api/vps/create", body(linode.plan(), "mine"))
    assert nowhere.status == 403 and nowhere.body["error"]["details"][0]["field"] == "project_id"
    mine = call_in(dev, org, "POST", "/api/vps/create", body(linode.plan(), "mine", project_id=web))
    assert mine.status == 202, mine.body
    wait_for_vps(olivia, mine.body["id"])
    assert olivia.call("GET", f"/api/projects/{web}").body["resource_count"] == 2

    # When the VPS in the project is deleted, it no longer counts in it
    assert olivia.call("DELETE", f"/api/vps/{in_web['id']}").status == 202
    wait_until_gone(olivia, in_web["id"])
    assert olivia.call("GET", f"/api/projects/{web}").body["resource_count"] == 1


def test_a_vps_in_a_missing_project_is_refused_naming_the_field(api: Api, linode: Linode) -> None:
    ann = api.user("Ann")
    fund(linode.admin, ann, "20.00")
    reply = ann.call("POST", "/api/vps/create", body(linode.plan(), "x", project_id=MISSING_PROJECT))
    assert reply.status == 404, reply.body
    assert reply.body["error"]["details"][0]["field"] == "project_id"
    assert ann.call("GET", "/api/vps").body["vps"] == []
    assert ann.call("GET", "/api/billing/wallet").body["balance"] == "20.00"  # the hold was given back
