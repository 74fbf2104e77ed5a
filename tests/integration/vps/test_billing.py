"""A VPS in billing: its usage and invoice lines say VPS, and suspension shuts it down, refuses to boot it
and boots it again when the organization is funded (the API, moto's workflows, a fake provider)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.support.api import Api, User
from tests.support.vps import Linode, buy, fund, wait_for_vps


def bill(user: User, hours: int, vps: dict[str, Any]) -> None:
    """The billing run charging `hours` of the VPS's meter."""
    from chalicelib.store.billing.meters import MeterRepository
    from chalicelib.wiring.billing import get_runner

    runner = get_runner()
    until = datetime.fromisoformat(vps["running_since"]) + timedelta(hours=hours)
    runner.bill_org(user.org_id, MeterRepository().of_org(user.org_id), until, runner.pricing())


def test_vps_usage_and_its_invoice_line_say_vps(api: Api, linode: Linode) -> None:
    # Given Ann's running VPS "web-1", billed for ten hours
    ann = api.user()
    fund(linode.admin, ann, "10.00")
    vps = wait_for_vps(ann, buy(ann, linode.plan("g6-standard-2"))["id"])
    bill(ann, 10, vps)
    # When she looks at the month's usage
    usage = ann.call("GET", "/api/billing/usage").body
    # Then the VPS is reported as a VPS, with its label and cost
    [line] = [r for r in usage["resources"] if r["resource_id"] == vps["id"]]
    assert (line["kind"], line["name"], line["cost"]) == ("vps", "web-1", "0.48")
    # When the month's invoice is issued
    period = datetime.now(UTC).strftime("%Y-%m")
    issued = linode.admin.call("POST", "/api/admin/billing/invoices", {"period": period})
    assert issued.status == 200 and issued.body["issued"] == 1, issued.body
    # Then its line reads "VPS web-1", not "Container web-1"
    [invoice] = ann.call("GET", "/api/billing/invoices").body["invoices"]
    assert [(li["description"], li["amount"]) for li in invoice["line_items"]] == [
        (f"VPS web-1 ({vps['id']})", "0.48")
    ]


def test_suspension_shuts_a_vps_down_refuses_to_boot_it_and_a_credit_boots_it(
    api: Api, linode: Linode, monkeypatch: pytest.MonkeyPatch
) -> None:
    from chalicelib import wiring
    from chalicelib.wiring.vps import get_vps_events

    monkeypatch.setenv("CS_BILLING_GRACE_SECONDS", "0")
    wiring.reset()
    # Given Ann's running VPS
    ann = api.user()
    fund(linode.admin, ann, "1.00")
    vps = wait_for_vps(ann, buy(ann, linode.plan())["id"])
    instance_id = next(iter(linode.account.instances))
    # When the billing run takes her wallet below zero (100 hours at 0.012)
    bill(ann, 100, vps)
    # Then the organization is suspended and the VPS is shut down at the provider
    assert ann.call("GET", "/api/billing/wallet").body["status"] == "suspended"
    assert linode.account.instances[instance_id].status == "shutting_down"
    assert ann.call("GET", f"/api/vps/{vps['id']}").body["status"] == "shutting_down"
    # And once the provider reports it off, Ann cannot boot it: 402 with what to do
    linode.account.settle(instance_id, "offline", "linode_shutdown")
    get_vps_events().poll()
    assert ann.call("GET", f"/api/vps/{vps['id']}").body["status"] == "stopped"
    refused = ann.call("POST", f"/api/vps/{vps['id']}/boot")
    assert refused.status == 402 and refused.body["error"]["code"] == "payment_required"
    assert "add funds" in refused.body["error"]["message"]
    assert linode.account.calls.get("boot") is None
    # When an administrator credits the organization above zero
    fund(linode.admin, ann, "5.00")
    # Then the VPS is booted again and the organization is active
    assert linode.account.instances[instance_id].status == "booting"
    assert ann.call("GET", f"/api/vps/{vps['id']}").body["status"] == "booting"
    assert ann.call("GET", "/api/billing/wallet").body["status"] == "active"
