"""A marketplace deploy on the real engine: the template's offline image (built FROM scratch with busybox)
runs with the template's environment, through the normal container path, and the billing run (the Step
Functions Map, in moto) charges per hour exactly the price the catalog showed before the deploy."""

from __future__ import annotations

import urllib.request
from typing import Any

import docker
import pytest

from devstack.smtp import MailServer
from tests.integration.billing.test_metering import cents, next_minute, run_billing
from tests.support.api import Api
from tests.support.billing import ledger
from tests.support.market import package, put_on_package, used

pytestmark = pytest.mark.docker
PLATFORM = {"cpu_per_vcpu_hour": "0.012", "memory_per_gib_hour": "0.004", "storage_per_gib_month": "0.10"}
# The package's own prices: 0.1 vCPU at 60.00 and 16Mi at 192.00 per GiB-hour, 9.00 an hour (0.15 a minute).
OWN = {"cpu_per_vcpu_hour": "60", "memory_per_gib_hour": "192", "storage_per_gib_month": "0"}


def engine_container(container_id: str) -> Any:
    client = docker.from_env()
    try:
        [found] = client.containers.list(filters={"label": f"cs.container={container_id}"})
        return found
    finally:
        client.close()


def page_of(container: Any) -> str:
    port = container.attrs["NetworkSettings"]["Ports"]["8080/tcp"][0]
    assert port["HostIp"] == "127.0.0.1"
    with urllib.request.urlopen(f"http://127.0.0.1:{port['HostPort']}/", timeout=5) as answer:
        return str(answer.read().decode())


def test_a_deploy_runs_the_template_and_is_charged_per_hour_the_price_shown_before(
    api: Api, default_host: str, market_images: list[str], smtp: MailServer
) -> None:
    admin, ann = api.admin(), api.user()
    assert admin.call("PUT", "/api/admin/billing/pricing", PLATFORM).status == 200
    put_on_package(admin, ann.org_id, package(admin, "Own prices", pricing=OWN))
    credit = {"organization_id": ann.org_id, "amount": 100, "reason": "credit"}
    assert admin.call("POST", "/api/admin/billing/adjustments", credit).status == 201
    # Given the price the catalog shows before the deploy
    shown = ann.call("GET", "/api/marketplace/static-site").body["price"]
    assert shown == {"currency": "USD", "hourly": "9.000000", "monthly": "6570.00"}
    # When the customer deploys the template, filling in its required field
    reply = ann.call(
        "POST",
        "/api/marketplace/static-site/deploy",
        {"name": "site", "environment": {"SITE_TITLE": "Ann & co"}},
    )
    assert reply.status == 202, reply.body
    cid = reply.body["id"]
    # Then a container runs on the engine with the template's image, resources and environment
    record = ann.wait_for(cid)
    assert record["status"] == "running", record
    assert record["image"] == "containerstacks/market-static-site:1.0"
    assert record["resources"] == {"cpu": "0.1", "memory": "16Mi", "storage": None}
    running = engine_container(cid)
    env = dict(item.split("=", 1) for item in running.attrs["Config"]["Env"])
    assert env["SITE_TITLE"] == "Ann & co"
    assert env["SITE_MESSAGE"] == "Deployed from the ContainerStacks marketplace."
    assert "<h1>Ann &amp; co</h1>" in page_of(running)
    # And it counts against the organization's package like any container
    assert used(ann)["containers"] == 1 and used(ann)["cpu"] == 100
    # When the billing run charges it, a minute boundary later
    next_minute()
    run_billing(admin)
    # Then it is charged per hour what the catalog showed: 9.00 an hour is 0.15 per started minute
    [charge] = [e for e in ledger(ann) if e["type"] == "usage" and e["resource_id"] == cid]
    minutes = charge["quantity_minutes"]
    assert minutes >= 1 and -cents(charge["amount"]) * 60 == cents(shown["hourly"][:-4]) * minutes
    # And the wallet's burn rate is the same price
    assert ann.call("GET", "/api/billing/wallet").body["burn_rate_per_hour"] == shown["hourly"]
