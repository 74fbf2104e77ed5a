"""Metering on the real engine: every container is charged from creation to deletion by the billing run (a
Step Functions Map over the billable shards, in moto), once per period; running out of money suspends."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

import docker
import pytest

from devstack.smtp import MailServer
from tests.support.api import Api, User
from tests.support.billing import balance, ledger

pytestmark = pytest.mark.docker
PRICES = {"cpu_per_vcpu_hour": "60.000000", "memory_per_gib_hour": "0", "storage_per_gib_month": "0"}


def next_minute() -> None:
    """Billing is per minute: let the clock pass a minute boundary."""
    now = datetime.now(UTC)
    time.sleep(60 - now.second - now.microsecond / 1e6 + 0.5)


def deploy(user: User, image: str) -> str:
    reply = user.call(
        "POST",
        "/api/containers",
        {"name": f"web-{time.time_ns()}", "image": image, "resources": {"cpu": "0.1", "memory": "16Mi"}},
    )
    assert reply.status == 202, reply.body
    assert user.wait_for(reply.body["id"])["status"] == "running"
    return str(reply.body["id"])


def run_billing(admin: User) -> dict[str, Any]:
    started = admin.call("POST", "/api/admin/billing/run", {})
    assert started.status == 202, started.body
    deadline = time.monotonic() + 120
    while True:
        run = admin.call("GET", f"/api/admin/billing/runs/{started.body['id']}")
        assert run.status == 200, run.body
        if run.body["status"] == "completed":
            return dict(run.body)
        assert time.monotonic() < deadline, run.body
        time.sleep(0.3)


def engine_state(container_id: str) -> str:
    client = docker.from_env()
    try:
        [found] = client.containers.list(all=True, filters={"label": f"cs.container={container_id}"})
        return str(found.attrs["State"]["Status"])
    finally:
        client.close()


def cents(amount: str) -> int:
    return int(amount.replace(".", ""))


def test_a_container_created_and_deleted_between_runs_is_charged_once(
    api: Api, default_host: str, test_image: str, smtp: MailServer
) -> None:
    admin = api.admin()
    assert admin.call("PUT", "/api/admin/billing/pricing", PRICES).status == 200
    ann = api.user()
    admin.call(
        "POST",
        "/api/admin/billing/adjustments",
        {"organization_id": ann.org_id, "amount": 100, "reason": "credit"},
    )
    # Given one container that keeps running and one created and deleted before the next run
    kept = deploy(ann, test_image)
    gone = deploy(ann, test_image)
    assert ann.call("DELETE", f"/api/containers/{gone}").status == 204
    next_minute()
    # When the billing run charges, and is started again for the same minute
    run = run_billing(admin)
    again = run_billing(admin)
    # Then both containers were charged, each at least a minute at 0.10 per minute, and only once
    usage = [e for e in ledger(ann) if e["type"] == "usage"]
    charged = {e["resource_id"]: e for e in usage}
    assert set(charged) == {kept, gone} and len(usage) == 2, usage
    assert all(
        e["quantity_minutes"] >= 1 and cents(e["amount"]) == -10 * e["quantity_minutes"] for e in usage
    )
    assert run["organizations"] >= 1 and again["id"] == run["id"]
    total = sum(cents(e["amount"]) for e in usage)
    assert cents(balance(ann)) == 10_000 + total
    # And a later run charges the deleted one nothing more (its meter is closed)
    next_minute()
    run_billing(admin)
    later = [e for e in ledger(ann) if e["type"] == "usage"]
    assert [e["resource_id"] for e in later].count(gone) == 1
    assert [e["resource_id"] for e in later].count(kept) == 2
    # And the usage report shows both with their cost
    report = ann.call("GET", "/api/billing/usage").body
    assert {r["resource_id"] for r in report["resources"]} >= {kept, gone}
    assert cents(report["total"]) == -sum(cents(e["amount"]) for e in later)
    # And the runway (about 16 h at 6.00 per hour) was announced once: below 24 h
    wallet = ann.call("GET", "/api/billing/wallet").body
    assert wallet["burn_rate_per_hour"] == "6.000000" and 10 < wallet["runway_hours"] < 24
    warnings = [m for m in smtp.messages() if "lasts less than 24 hours" in str(m["Subject"])]
    assert len(warnings) == 1 and warnings[0]["To"] == ann.email


def test_running_out_suspends_on_the_engine_and_a_top_up_resumes(
    api: Api, default_host: str, test_image: str, smtp: MailServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    from chalicelib import wiring

    monkeypatch.setenv("CS_BILLING_GRACE_SECONDS", "0")
    wiring.reset()
    admin = api.admin()
    admin.call("PUT", "/api/admin/billing/pricing", PRICES)
    ann = api.user()
    admin.call(
        "POST",
        "/api/admin/billing/adjustments",
        {"organization_id": ann.org_id, "amount": "0.05", "reason": "trial"},
    )
    container = deploy(ann, test_image)
    next_minute()
    # When the billing run takes the balance below zero (no grace period configured)
    run_billing(admin)
    # Then the organization is suspended: its container is stopped on the engine, its data kept
    wallet = ann.call("GET", "/api/billing/wallet").body
    assert cents(wallet["balance"]) < 0 and wallet["status"] == "suspended"
    assert engine_state(container) == "exited"
    assert ann.call("GET", f"/api/containers/{container}").body["status"] == "stopped"
    # And new resources are refused with 402 and a clear message
    refused = ann.call(
        "POST",
        "/api/containers",
        {"name": "more", "image": test_image, "resources": {"cpu": "0.1", "memory": "16Mi"}},
    )
    assert refused.status == 402 and refused.body["error"]["code"] == "payment_required"
    assert "add funds" in refused.body["error"]["message"]
    assert any("is suspended" in str(m["Subject"]) for m in smtp.messages())
    # And the customer cannot start what the suspension stopped
    for action in ("start", "restart"):
        again = ann.call("POST", f"/api/containers/{container}/{action}")
        assert again.status == 402 and "add funds" in again.body["error"]["message"]
    assert engine_state(container) == "exited"
    # When an administrator credits the organization above zero
    credit = admin.call(
        "POST",
        "/api/admin/billing/adjustments",
        {"organization_id": ann.org_id, "amount": 10, "reason": "paid by wire"},
    )
    assert (
        credit.status == 201
        and credit.body["created_by"] == admin.id
        and credit.body["reason"] == "paid by wire"
    )
    # Then what was suspended runs again and new resources are accepted
    assert engine_state(container) == "running"
    assert ann.call("GET", "/api/billing/wallet").body["status"] == "active"
    assert any("running again" in str(m["Subject"]) for m in smtp.messages())
    deploy(ann, test_image)
