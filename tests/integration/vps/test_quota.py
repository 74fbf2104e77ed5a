"""VPS instances count against the organization's package: a purchase over its limit is refused with the
limit named, and a deleted VPS gives its place back (the API, moto's workflows, a fake provider)."""

from __future__ import annotations

from tests.support.api import Api, User
from tests.support.market import package
from tests.support.vps import Linode, buy, fund, wait_for_vps, wait_until_gone


def vps_used(user: User) -> tuple[int, int]:
    """The organization's VPS row on /resources: (used, limit)."""
    reply = user.call("GET", "/api/resources")
    assert reply.status == 200, reply.body
    row = next(r for r in reply.body["limits"] if r["name"] == "vps")
    return row["used"], row["limit"]


def test_a_package_allowing_one_vps_refuses_the_second_until_the_first_is_deleted(
    api: Api, linode: Linode
) -> None:
    # Given Ann's organization on a package that allows one VPS, with money
    ann = api.user()
    fund(linode.admin, ann, "50.00")
    one = package(linode.admin, "One VPS", vps=1)
    assigned = linode.admin.call("PUT", f"/api/admin/organizations/{ann.org_id}/package", {"package_id": one})
    assert assigned.status == 200, assigned.body
    first = wait_for_vps(ann, buy(ann, linode.plan(), "first")["id"])
    assert first["status"] == "running"

    # When she buys a second one
    refused = ann.call(
        "POST", "/api/vps/create", {"plan_id": linode.plan(), "region": "us-east", "label": "two"}
    )

    # Then it is refused, naming the limit, and her resources say she uses one
    assert refused.status == 409, refused.body
    assert refused.body["error"]["code"] == "quota_exceeded"
    assert refused.body["error"]["details"][0]["field"] == "vps"
    assert vps_used(ann) == (1, 1)

    # When she deletes the first one, the second purchase goes through
    assert ann.call("DELETE", f"/api/vps/{first['id']}").status == 202
    wait_until_gone(ann, first["id"])
    assert vps_used(ann) == (0, 1)
    second = wait_for_vps(ann, buy(ann, linode.plan(), "second")["id"])
    assert second["status"] == "running"
