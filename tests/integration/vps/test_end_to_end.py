"""End to end: the API, the provisioning and delete workflows executed by moto, the Linode adapter
(linode_api4) and the Linode sandbox stub on 127.0.0.1 (no fake anywhere)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from devstack.lambda_dispatch import invoke_handler
from devstack.linode_stub import SANDBOX_TOKEN, LinodeStub
from tests.support.api import Api, User
from tests.support.stack_fixtures import AwsStack
from tests.support.vps import balance, balance_after_hold_returned, fund, wait_for_vps, wait_until_gone

BOOT_SECONDS = 2.0


@pytest.fixture
def sandbox(linode_stub: LinodeStub, api: Api, monkeypatch: pytest.MonkeyPatch) -> Iterator[LinodeStub]:
    """The sandbox booting a new Linode in BOOT_SECONDS; the workflows checking it every second."""
    from chalicelib import wiring

    linode_stub.configure(boot_seconds=BOOT_SECONDS)
    monkeypatch.setenv("CS_VPS_POLL_SECONDS", "1")
    monkeypatch.setenv("CS_VPS_MAX_WAIT_SECONDS", "20")
    wiring.reset()
    yield linode_stub
    wiring.reset()


def sandbox_provider(api: Api) -> tuple[User, str, dict[str, str]]:
    """The admin adds the sandbox as a Linode provider (its URL is the stage's CS_LINODE_BASE_URL)."""
    admin = api.admin()
    created = admin.call(
        "POST", "/api/providers", {"name": "Linode sandbox", "type": "linode", "api_key": SANDBOX_TOKEN}
    )
    assert created.status == 201, created.body
    provider_id = str(created.body["id"])
    checked = admin.call("POST", f"/api/providers/{provider_id}/test")
    assert checked.status == 200 and checked.body["ok"], checked.body
    synced = admin.call("POST", f"/api/providers/{provider_id}/sync-plans")
    assert synced.status == 200, synced.body
    return admin, provider_id, {p["provider_plan_id"]: p["id"] for p in synced.body["added"]}


def instance_of(stub: LinodeStub, vps_id: str) -> dict[str, Any] | None:
    return next((i for i in stub.instances() if f"cs-vps-{vps_id}" in i["tags"]), None)


def transitions(aws: AwsStack, vps_id: str) -> int:
    """States entered by the VPS's provision-vps execution (what Step Functions bills)."""
    sfn = aws.client("stepfunctions")
    arn = aws.resources.state_machines["provision-vps"]
    execution = f"{arn.replace(':stateMachine:', ':execution:')}:vps-create-{vps_id}"
    events = sfn.get_execution_history(executionArn=execution, maxResults=1000)["events"]
    return sum(1 for e in events if e["type"].endswith("StateEntered"))


def test_a_vps_bought_through_the_api_runs_at_the_sandbox_and_is_deleted_there(
    api: Api, sandbox: LinodeStub, aws: AwsStack
) -> None:
    # Given the sandbox as a provider, its Linode types as plans, and Ann with money
    admin, provider_id, plans = sandbox_provider(api)
    ann = api.user()
    fund(admin, ann, "20.00")
    # When she buys a nanode
    began = time.monotonic()
    reply = ann.call(
        "POST", "/api/vps/create", {"plan_id": plans["g6-nanode-1"], "region": "us-east", "label": "web-1"}
    )
    assert reply.status == 202, reply.body
    vps = wait_for_vps(ann, reply.body["id"])
    took = time.monotonic() - began
    # Then it runs at the sandbox with its documentation-range address, tagged as ours
    assert vps["status"] == "running", vps
    found = instance_of(sandbox, vps["id"])
    assert found is not None and found["status"] == "running" and vps["ip_address"] == found["ipv4"][0]
    assert {"containerstacks", f"cs-org-{ann.org_id}"} <= set(found["tags"])
    assert balance_after_hold_returned(ann, vps["id"]) == "20.00", "the hold went back once metering started"
    print(
        f"\nprovisioning: {took:.1f} s from POST /api/vps/create to running against the sandbox's "
        f"{BOOT_SECONDS:.1f} s boot ({took - BOOT_SECONDS:.1f} s of workflow overhead); "
        f"{transitions(aws, vps['id'])} state transitions"
    )
    # And a shutdown at Linode's side reaches the record through the event poller
    sandbox.outside(int(found["id"]), "shutdown")
    time.sleep(BOOT_SECONDS)
    invoke_handler("VpsPollEvents", {})
    assert ann.call("GET", f"/api/vps/{vps['id']}").body["status"] == "stopped"
    # When she deletes it, it goes at the sandbox, then from her list
    assert ann.call("DELETE", f"/api/vps/{vps['id']}").status == 202
    wait_until_gone(ann, vps["id"])
    assert instance_of(sandbox, vps["id"]) is None
    # And its hours count in the provider's costs against revenue
    costs = admin.call("GET", f"/api/providers/{provider_id}/costs").body
    assert costs["total"]["instances"] == 1 and costs["by_plan"][0]["id"] == plans["g6-nanode-1"]


def test_a_sandbox_500_on_every_create_is_compensated(api: Api, sandbox: LinodeStub) -> None:
    admin, _, plans = sandbox_provider(api)
    ann = api.user()
    fund(admin, ann, "20.00")
    sandbox.inject("create", "500", count=10)
    reply = ann.call(
        "POST", "/api/vps/create", {"plan_id": plans["g6-nanode-1"], "region": "us-east", "label": "web-1"}
    )
    failed = wait_for_vps(ann, reply.body["id"], ("error",))
    assert failed["status_reason"].startswith("The VPS could not be created")
    assert sandbox.instances() == [] and balance(ann) == "20.00"


def test_sandbox_429s_are_retried_and_the_vps_comes_up(api: Api, sandbox: LinodeStub) -> None:
    admin, _, plans = sandbox_provider(api)
    ann = api.user()
    fund(admin, ann, "20.00")
    sandbox.inject("create", "429", count=2, retry_after=1)
    reply = ann.call(
        "POST", "/api/vps/create", {"plan_id": plans["g6-nanode-1"], "region": "us-east", "label": "web-1"}
    )
    assert wait_for_vps(ann, reply.body["id"])["status"] == "running"
    assert len(sandbox.instances()) == 1


def test_a_sandbox_linode_that_never_runs_is_deleted_and_refunded(api: Api, sandbox: LinodeStub) -> None:
    admin, _, plans = sandbox_provider(api)
    ann = api.user()
    fund(admin, ann, "20.00")
    sandbox.inject("create", "never_running")
    reply = ann.call(
        "POST", "/api/vps/create", {"plan_id": plans["g6-nanode-1"], "region": "us-east", "label": "web-1"}
    )
    failed = wait_for_vps(ann, reply.body["id"], ("error",), timeout=90)
    assert "did not start the VPS within" in failed["status_reason"]
    assert sandbox.instances() == [] and balance(ann) == "20.00"
