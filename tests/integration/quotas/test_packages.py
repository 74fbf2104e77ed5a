"""Packages and quotas over HTTP against moto: every organization starts on the default package, operators
define and assign packages, and GET /api/resources shows each limit against what the organization uses."""

from __future__ import annotations

from tests.support.api import Api
from tests.support.market import limits, package, put_on_package, true_usage, used


def test_a_new_organization_is_on_the_default_package_and_uses_nothing(api: Api) -> None:
    # Given a customer who just signed up
    ann = api.user()
    # When they look at their resources
    reply = ann.call("GET", "/api/resources")
    # Then they are on the default package with its configured limits, and use nothing
    assert reply.status == 200, reply.body
    assert reply.body["package"]["id"] == "default" and reply.body["package"]["is_default"]
    rows = {row["name"]: row for row in reply.body["limits"]}
    assert list(rows) == ["containers", "cpu", "memory", "storage", "vps", "backups"]
    assert rows["containers"]["limit"] == 10 and rows["cpu"]["limit_display"] == "4 vCPU"
    assert rows["memory"]["limit_display"] == "8Gi" and all(row["used"] == 0 for row in rows.values())
    # And the prices they pay are the platform's price list
    assert reply.body["pricing"]["cpu_per_vcpu_hour"] == "0.012000"


def test_an_operator_defines_a_package_and_puts_an_organization_on_it(api: Api) -> None:
    admin, ann = api.admin(), api.user()
    prices = {"cpu_per_vcpu_hour": "0.5", "memory_per_gib_hour": "0.1", "storage_per_gib_month": "1"}
    # Given a package with its own limits and prices
    created = admin.call(
        "POST",
        "/api/admin/packages",
        {
            "name": "Pro",
            "description": "More",
            "limits": limits(containers=50, cpu="16", memory="32Gi"),
            "pricing": prices,
        },
    )
    assert created.status == 201, created.body
    assert created.body["limits"] == {
        "containers": 50,
        "cpu": "16",
        "memory": "32Gi",
        "storage": None,
        "vps": None,
        "backups": None,
    }
    # When the organization is put on it
    assigned = admin.call(
        "PUT", f"/api/admin/organizations/{ann.org_id}/package", {"package_id": created.body["id"]}
    )
    # Then the customer sees its limits (null: unlimited) and pays its prices
    assert assigned.status == 200, assigned.body
    mine = ann.call("GET", "/api/resources").body
    assert mine["package"]["name"] == "Pro"
    assert {r["name"]: r["limit"] for r in mine["limits"]}["cpu"] == 16_000
    assert mine["pricing"]["cpu_per_vcpu_hour"] == "0.500000"
    # And the operator lists it beside the default package, which comes first
    listed = admin.call("GET", "/api/admin/packages").body["packages"]
    assert [p["id"] for p in listed][:1] == ["default"] and created.body["id"] in {p["id"] for p in listed}


def test_a_deleted_package_leaves_its_organizations_on_the_default_package(api: Api) -> None:
    admin, ann = api.admin(), api.user()
    small = package(admin, "Small", containers=1)
    put_on_package(admin, ann.org_id, small)
    # When the operator deletes the package
    assert admin.call("DELETE", f"/api/admin/packages/{small}").status == 204
    # Then its organization is on the default package again
    assert ann.call("GET", "/api/resources").body["package"]["id"] == "default"
    assert admin.call("GET", f"/api/admin/packages/{small}").status == 404


def test_the_default_package_can_be_edited_but_not_deleted(api: Api) -> None:
    admin, ann = api.admin(), api.user()
    body = {"name": "Starter", "limits": limits(containers=3), "pricing": None}
    # When the operator edits the default package
    edited = admin.call("PUT", "/api/admin/packages/default", body)
    # Then every organization on it has the new limits at once
    assert edited.status == 200, edited.body
    assert {r["name"]: r["limit"] for r in ann.call("GET", "/api/resources").body["limits"]}[
        "containers"
    ] == 3
    # And it cannot be deleted
    refused = admin.call("DELETE", "/api/admin/packages/default")
    assert refused.status == 409 and "default package" in refused.body["error"]["message"]


def test_assigning_names_what_is_missing(api: Api) -> None:
    admin, ann = api.admin(), api.user()
    unknown_org = admin.call(
        "PUT",
        "/api/admin/organizations/00000000-0000-4000-8000-000000000000/package",
        {"package_id": "default"},
    )
    unknown_package = admin.call(
        "PUT", f"/api/admin/organizations/{ann.org_id}/package", {"package_id": "no-such-package"}
    )
    assert unknown_org.status == 404 and "Organization" in unknown_org.body["error"]["message"]
    assert unknown_package.status == 404 and "Package" in unknown_package.body["error"]["message"]


def test_an_organization_without_counters_is_counted_from_its_records(api: Api, default_host: str) -> None:
    from chalicelib.store import keys
    from chalicelib.store.quotas.models import QuotaItem

    ann = api.user()
    spec = {"name": "web", "image": "cs-test-missing:x", "resources": {"cpu": "0.1", "memory": "16Mi"}}
    created = ann.call("POST", "/api/containers", spec)
    assert created.status == 202, created.body
    ann.wait_for(created.body["id"])
    # Given an organization whose counters item is gone (as for one created before quotas)
    QuotaItem(keys.org_pk(ann.org_id), keys.QUOTA_SK).delete()
    # When it looks at its resources
    counted = used(ann)
    # Then what it holds was counted from its records
    assert counted == true_usage(ann.org_id) and counted["containers"] == 1
    # And deleting the container gives it back
    assert ann.call("DELETE", f"/api/containers/{created.body['id']}").status == 204
    assert used(ann) == true_usage(ann.org_id) == dict.fromkeys(counted, 0)
