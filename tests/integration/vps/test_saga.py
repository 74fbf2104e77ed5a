"""Buying a VPS through the API, provisioned by the provision-vps state machine (moto), and its faults."""

from __future__ import annotations

import time

from chalicelib.domain.vps.ports import ProviderRejected, ProviderUnavailable
from tests.support.api import Api
from tests.support.vps import (
    Linode,
    balance,
    balance_after_hold_returned,
    buy,
    fund,
    wait_for_vps,
    wait_until_gone,
)


def test_a_bought_vps_runs_with_its_address_and_the_hold_goes_back_once_metering_starts(
    api: Api, linode: Linode
) -> None:
    # Given Ann with 10.00 in her wallet
    ann = api.user()
    fund(linode.admin, ann, "10.00")
    # When she buys a nanode
    created = buy(ann, linode.plan())
    # Then she gets the seed's answer at once, with the root password this once
    assert created["status"] == "provisioning" and created["vps_id"] == created["id"]
    assert created["ip_address"] is None and len(created["root_password"]) >= 20
    # And the workflow brings it up
    running = wait_for_vps(ann, created["id"])
    assert running["status"] == "running" and running["ip_address"].startswith("192.0.2.")
    assert running["price_per_hour"] == "0.012000" and running["running_since"]
    assert "root_password" not in running
    assert balance_after_hold_returned(ann, created["id"]) == "10.00"
    kinds = [
        (t["type"], t["amount"]) for t in ann.call("GET", "/api/billing/transactions").body["transactions"]
    ]
    assert kinds[:2] == [("reservation", "0.29"), ("reservation", "-0.29")]
    [instance] = linode.account.instances.values()
    assert (
        f"cs-vps-{created['id']}" in instance.tags
        and linode.account.passwords[instance.id] == created["root_password"]
    )
    # And Ann is told in the app that it runs
    feed = ann.call("GET", "/api/notifications").body["notifications"]
    assert [n["kind"] for n in feed if n.get("resource_id") == created["id"]] == ["vps.running"]


def test_the_meter_charges_the_plans_markup_price_per_hour(api: Api, linode: Linode) -> None:
    # Given a running VPS on a plan at 0.048 an hour (0.04 at the provider, +20 %)
    from datetime import datetime, timedelta

    from chalicelib.store.billing.meters import MeterRepository
    from chalicelib.wiring.billing import get_runner

    ann = api.user()
    fund(linode.admin, ann, "10.00")
    vps = wait_for_vps(ann, buy(ann, linode.plan("g6-standard-2"))["id"])
    # When the billing run charges ten hours of it
    started = datetime.fromisoformat(vps["running_since"])
    runner = get_runner()
    runner.bill_org(
        ann.org_id, MeterRepository().of_org(ann.org_id), started + timedelta(hours=10), runner.pricing()
    )
    # Then the ledger has its usage at our price
    usage = [
        t for t in ann.call("GET", "/api/billing/transactions").body["transactions"] if t["type"] == "usage"
    ]
    assert [(u["amount"], u["resource_id"]) for u in usage] == [("-0.48", vps["id"])]


def test_a_provider_500_on_create_refunds_and_leaves_nothing(api: Api, linode: Linode) -> None:
    # Given Linode failing every create with a 500
    ann = api.user()
    fund(linode.admin, ann, "10.00")
    linode.account.fail("create_instance", ProviderUnavailable("Linode answered 500"), times=50)
    # When Ann buys a VPS
    created = buy(ann, linode.plan())
    # Then after the retries the record says why, the money is back and nothing runs at Linode
    failed = wait_for_vps(ann, created["id"], ("error",))
    assert failed["status_reason"].startswith("The VPS could not be created: Linode answered 500")
    assert balance(ann) == "10.00"
    assert linode.account.instances == {}
    assert linode.account.calls["create_instance"] == 5, "the first attempt and four retries"
    feed = ann.call("GET", "/api/notifications").body["notifications"]
    assert [n["kind"] for n in feed if n.get("resource_id") == created["id"]] == ["vps.failed"]


def test_a_failure_while_waiting_deletes_the_instance_and_refunds(api: Api, linode: Linode) -> None:
    # Given an instance that never reaches running (the test stage waits at most 20 s)
    ann = api.user()
    fund(linode.admin, ann, "10.00")
    linode.account.never_runs = True
    created = buy(ann, linode.plan())
    failed = wait_for_vps(ann, created["id"], ("error",), timeout=90)
    assert "did not start the VPS within" in failed["status_reason"]
    assert linode.account.created == 1 and linode.account.instances == {}, "the instance was deleted"
    assert balance(ann) == "10.00"


def test_a_refusal_by_the_provider_is_not_retried_and_reads_as_the_providers_reason(
    api: Api, linode: Linode
) -> None:
    ann = api.user()
    fund(linode.admin, ann, "10.00")
    linode.account.fail("create_instance", ProviderRejected("Region is currently unavailable", status=400))
    created = buy(ann, linode.plan())
    failed = wait_for_vps(ann, created["id"], ("error",))
    assert failed["status_reason"] == (
        "The VPS could not be created: Region is currently unavailable. The hold was given back."
    )
    assert linode.account.calls["create_instance"] == 1 and balance(ann) == "10.00"


def test_429s_are_retried_with_backoff_and_the_vps_comes_up(api: Api, linode: Linode) -> None:
    ann = api.user()
    fund(linode.admin, ann, "10.00")
    linode.account.fail("create_instance", ProviderUnavailable("Linode answered 429", retry_after=1), times=2)
    created = buy(ann, linode.plan())
    assert wait_for_vps(ann, created["id"])["status"] == "running"
    assert linode.account.calls["create_instance"] == 3 and linode.account.created == 1


def test_a_create_step_that_ran_twice_made_one_instance(api: Api, linode: Linode) -> None:
    # Given Linode creating the instance but losing its answer (a 500), so the step runs again
    ann = api.user()
    fund(linode.admin, ann, "10.00")
    linode.account.lose_create_answer = True
    created = buy(ann, linode.plan())
    assert wait_for_vps(ann, created["id"])["status"] == "running"
    # And the step's handler invoked once more by hand
    from devstack.lambda_dispatch import invoke_handler

    invoke_handler("VpsCreateInstance", {"organization_id": ann.org_id, "vps_id": created["id"]})
    # Then there is one instance, the one on record
    [instance] = linode.account.instances.values()
    assert linode.account.created == 1 and instance.ipv4[0] == wait_for_vps(ann, created["id"])["ip_address"]


def test_insufficient_funds_is_a_402_before_anything_is_created(api: Api, linode: Linode) -> None:
    ann = api.user()
    fund(linode.admin, ann, "0.20")
    reply = ann.call(
        "POST", "/api/vps/create", {"plan_id": linode.plan(), "region": "us-east", "label": "web"}
    )
    assert reply.status == 402 and reply.body["error"]["code"] == "insufficient_funds"
    assert "0.29" in reply.body["error"]["message"]
    assert ann.call("GET", "/api/vps").body["vps"] == []
    assert linode.account.created == 0 and balance(ann) == "0.20"


def test_a_suspended_organization_is_a_402(api: Api, linode: Linode) -> None:
    from chalicelib.domain.billing.entities import BillingState
    from chalicelib.domain.shared.clock import utcnow
    from chalicelib.store.billing.state import BillingStateRepository

    ann = api.user()
    fund(linode.admin, ann, "10.00")
    BillingStateRepository().put(BillingState(ann.org_id, suspended_at=utcnow()), utcnow())
    reply = ann.call(
        "POST", "/api/vps/create", {"plan_id": linode.plan(), "region": "us-east", "label": "web"}
    )
    assert reply.status == 402 and reply.body["error"]["code"] == "payment_required"
    assert balance(ann) == "10.00"


def test_the_same_idempotency_key_buys_one_vps(api: Api, linode: Linode) -> None:
    ann = api.user()
    fund(linode.admin, ann, "10.00")
    body = {"plan_id": linode.plan(), "region": "us-east", "label": "web"}
    first = ann.call("POST", "/api/vps/create", body, headers={"Idempotency-Key": "buy-once-123"})
    second = ann.call("POST", "/api/vps/create", body, headers={"Idempotency-Key": "buy-once-123"})
    assert first.status == second.status == 202 and first.body["id"] == second.body["id"]
    wait_for_vps(ann, first.body["id"])
    assert len(ann.call("GET", "/api/vps").body["vps"]) == 1 and linode.account.created == 1


def test_deleting_removes_the_instance_then_the_record_and_stops_metering(api: Api, linode: Linode) -> None:
    from chalicelib.store.billing.meters import MeterRepository

    ann = api.user()
    fund(linode.admin, ann, "10.00")
    vps = wait_for_vps(ann, buy(ann, linode.plan())["id"])
    reply = ann.call("DELETE", f"/api/vps/{vps['id']}")
    assert reply.status == 202 and reply.body["status"] == "deleting"
    wait_until_gone(ann, vps["id"])
    assert linode.account.instances == {}
    [meter] = MeterRepository().of_org(ann.org_id)
    assert meter.kind == "vps" and meter.ended_at is not None


def test_a_deleted_vps_can_be_seen_in_the_providers_costs(api: Api, linode: Linode) -> None:
    ann = api.user()
    fund(linode.admin, ann, "10.00")
    vps = wait_for_vps(ann, buy(ann, linode.plan())["id"])
    time.sleep(0.5)
    ann.call("DELETE", f"/api/vps/{vps['id']}")
    wait_until_gone(ann, vps["id"])
    costs = linode.admin.call("GET", f"/api/providers/{linode.id}/costs")
    assert costs.status == 200, costs.body
    assert costs.body["total"]["instances"] == 1
    assert [o["id"] for o in costs.body["by_organization"]] == [ann.org_id]
