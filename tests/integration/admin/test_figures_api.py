"""Platform figures and organization details over HTTP against moto, and the money- and deletion-related audit
entries: manual credits, removed payment methods, deleted containers, registered and removed hosts."""

from __future__ import annotations

from typing import Any

import pytest

from devstack.paypal_stub import PayPalStub
from tests.support.api import Api, User


def figures(admin: User) -> dict[str, Any]:
    reply = admin.call("GET", "/api/admin/stats")
    assert reply.status == 200, reply.body
    return dict(reply.body)


def entries(user: User, action: str, path: str = "/api/audit") -> list[dict[str, Any]]:
    reply = user.call("GET", f"{path}?limit=100&action={action}")
    assert reply.status == 200, reply.body
    return list(reply.body["entries"])


def usage(org_id: str, cents: int, key: str) -> None:
    """What a billing run charges (through the one way money moves)."""
    from chalicelib.domain.billing.entities import Posting
    from chalicelib.wiring.billing import get_wallet

    get_wallet().post(
        org_id,
        [Posting(key=key, kind="usage", amount_cents=-cents, description="usage", created_by="system")],
    )


def test_figures_count_sign_ups_and_this_months_money(api: Api) -> None:
    # Given the figures now
    admin = api.admin()
    before = figures(admin)
    # When two people sign up, one is credited 5.00 by hand and charged 1.25 of usage
    ann, _ = api.user("Ann"), api.user("Bob")
    credit = admin.call(
        "POST",
        "/api/admin/billing/adjustments",
        {"organization_id": ann.org_id, "amount": "5.00", "reason": "goodwill"},
    )
    assert credit.status == 201, credit.body
    usage(ann.org_id, 125, "figures:usage")
    # Then the figures moved by exactly that, without reading anything but counters
    after = figures(admin)
    assert (after["users"] - before["users"], after["organizations"] - before["organizations"]) == (2, 2)
    month = after["this_month"]
    assert float(month["usage"]) - float(before["this_month"]["usage"]) == pytest.approx(1.25)
    assert float(month["credits"]) - float(before["this_month"]["credits"]) == pytest.approx(5.00)
    assert after["vps_instances"] == 0 and after["provider_cost"] == "0.00" and after["currency"] == "USD"


def test_an_organizations_detail_has_its_balance_money_and_members(api: Api) -> None:
    ann, admin = api.user("Ann"), api.admin()
    credit = admin.call(
        "POST",
        "/api/admin/billing/adjustments",
        {"organization_id": ann.org_id, "amount": "3.00", "reason": "welcome"},
    )
    assert credit.status == 201, credit.body
    usage(ann.org_id, 40, "detail:usage")
    reply = admin.call("GET", f"/api/admin/organizations/{ann.org_id}")
    assert reply.status == 200, reply.body
    detail = reply.body
    assert (detail["balance"], detail["this_month"]["usage"], detail["this_month"]["credits"]) == (
        "2.60",
        "0.40",
        "3.00",
    )
    assert detail["members"] == [{"user_id": ann.id, "email": ann.email, "name": "Ann", "role": "owner"}]
    assert detail["suspended_at"] is None and detail["package"] is None
    listed = admin.call("GET", "/api/admin/organizations?limit=100").body["organizations"]
    assert [o["id"] for o in listed[:2]] == [admin.org_id, ann.org_id]  # newest first
    assert admin.call("GET", "/api/admin/organizations/not-an-org").status == 404


def test_a_manual_credit_is_in_the_organizations_trail_with_the_balance_before_and_after(api: Api) -> None:
    ann, admin = api.user("Ann"), api.admin()
    usage(ann.org_id, 200, "trail:usage")
    reply = admin.call(
        "POST",
        "/api/admin/billing/adjustments",
        {"organization_id": ann.org_id, "amount": "7.50", "reason": "outage credit"},
    )
    assert reply.status == 201
    [entry] = entries(ann, "billing.adjustment")
    assert (entry["actor_id"], entry["actor_email"], entry["ip"]) == (admin.id, admin.email, "127.0.0.1")
    assert entry["before"] == {"balance": "-2.00"}
    assert entry["after"] == {
        "balance": "5.50",
        "amount": "7.50",
        "reason": "outage credit",
        "currency": "USD",
    }


def test_a_removed_payment_method_is_recorded(api: Api, paypal: PayPalStub) -> None:
    ann = api.user("Ann")
    setup = ann.call("POST", "/api/billing/payment-methods/setup").body["setup_token"]
    paypal.approve(setup)
    saved = ann.call("POST", "/api/billing/payment-methods", {"setup_token": setup})
    assert saved.status == 201, saved.body
    assert ann.call("DELETE", f"/api/billing/payment-methods/{saved.body['id']}").status == 204
    [entry] = entries(ann, "payment_method.deleted")
    assert (entry["target_type"], entry["target_id"], entry["actor_id"]) == (
        "payment_method",
        saved.body["id"],
        ann.id,
    )
    assert entry["before"] == {"label": saved.body["label"]}


@pytest.mark.docker
def test_running_containers_are_counted_and_a_deletion_is_recorded(
    api: Api, default_host: str, test_image: str
) -> None:
    # Given the figures now
    ann, admin = api.user("Ann"), api.admin()
    before = figures(admin)["running_containers"]
    # When Ann's container runs
    body = {"name": "web", "image": test_image, "resources": {"cpu": "0.1", "memory": "16Mi"}}
    created = ann.call("POST", "/api/containers", body)
    assert created.status == 202, created.body
    assert ann.wait_for(created.body["id"])["status"] == "running"
    # Then one more container runs on the platform; and when she deletes it, one fewer
    assert figures(admin)["running_containers"] == before + 1
    assert ann.call("DELETE", f"/api/containers/{created.body['id']}").status == 204
    assert figures(admin)["running_containers"] == before
    [entry] = entries(ann, "container.deleted")
    assert (entry["target_id"], entry["actor_id"], entry["before"]) == (
        created.body["id"],
        ann.id,
        {"name": "web"},
    )


@pytest.mark.docker
def test_registered_and_removed_hosts_are_in_the_platform_trail(api: Api, docker_url: str) -> None:
    admin = api.admin()
    added = admin.call("POST", "/api/admin/hosts", {"name": "spare", "url": docker_url})
    assert added.status == 201, added.body
    assert admin.call("DELETE", f"/api/admin/hosts/{added.body['id']}").status == 204
    [registered] = entries(admin, "host.registered", "/api/admin/audit")
    [removed] = entries(admin, "host.deleted", "/api/admin/audit")
    assert registered["after"] == {"name": "spare", "url": docker_url, "tls": False}
    assert removed["before"] == {"name": "spare", "url": docker_url}
    assert removed["organization_id"] is None and removed["actor_id"] == admin.id
