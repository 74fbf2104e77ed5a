"""`make dev`'s Linode sandbox: the stack prints its URL, the real adapter works against it, and its
instances survive the stack being killed and started again (as the stack's own records do); the stack seeds
a provider on it with its plans on sale, once."""

from __future__ import annotations

import os
import re
import signal
from pathlib import Path

import pytest
import requests

from chalicelib.adapters.linode.compute import LinodeProviders
from chalicelib.domain.vps.ports import CloudProvider, NewInstance
from devstack.linode_stub import SANDBOX_TOKEN
from tests.support.devstack_process import RunningStack, running_devstack

pytestmark = [pytest.mark.e2e, pytest.mark.docker]
STUB_LINE = re.compile(r"^Linode sandbox stub at (http://127\.0\.0\.1:\d+/v4) … ok$")


def sandbox(stack: RunningStack) -> CloudProvider:
    url = next(m.group(1) for line in stack.output if (m := STUB_LINE.match(line)))
    return LinodeProviders(default_base_url=url, timeout=10).connect("linode", SANDBOX_TOKEN)


ADMIN = ("operator@example.test", "operator-password")


def as_admin(stack: RunningStack, method: str, path: str) -> requests.Response:
    login = requests.post(
        f"{stack.url}/api/auth/login", json={"email": ADMIN[0], "password": ADMIN[1]}, timeout=30
    )
    headers = {"Authorization": f"Bearer {login.json()['token']}"}
    return requests.request(method, f"{stack.url}{path}", headers=headers, timeout=30)


def customer_plans(stack: RunningStack) -> list[dict[str, str]]:
    """What a newcomer sees on sale right after signing up."""
    account = {"email": "newcomer@example.test", "password": "correct horse battery", "name": "New"}
    requests.post(f"{stack.url}/api/auth/register", json=account, timeout=30)
    login = requests.post(
        f"{stack.url}/api/auth/login",
        json={"email": account["email"], "password": account["password"]},
        timeout=30,
    )
    headers = {"Authorization": f"Bearer {login.json()['token']}"}
    plans = requests.get(f"{stack.url}/api/vps/plans", headers=headers, timeout=30)
    assert plans.status_code == 200, plans.text
    return list(plans.json()["plans"])


def test_the_stack_seeds_a_sandbox_provider_with_plans_on_sale_once(tmp_path: Path) -> None:
    data, fast = tmp_path / "data", {"CS_LINODE_STUB_BOOT_SECONDS": "0"}
    # Given a first start of the local stack
    with running_devstack(data, *ADMIN, extra_env=fast) as first:
        # Then it says it added the sandbox provider with its plans
        assert any(line.startswith("added the Linode sandbox provider: ") for line in first.output)
        # And a newcomer sees plans on sale at once, at the default 20 % markup
        plans = customer_plans(first)
        nanode = next(p for p in plans if p["provider_plan_id"] == "g6-nanode-1")
        assert nanode["price_per_month"] == "6.00" and nanode["base_price"] is None
        # And the administrator sees the provider, its key's last four only, and the regions
        [provider] = as_admin(first, "GET", "/api/providers").json()["providers"]
        assert provider["name"] == "Linode sandbox" and provider["api_key_last_four"] == SANDBOX_TOKEN[-4:]
        assert provider["regions"] > 0 and provider["synced_at"]
        assert as_admin(first, "POST", f"/api/providers/{provider['id']}/test").json()["ok"] is True
        first.process.send_signal(signal.SIGINT)
        first.process.wait(timeout=60)
    # When it is started again
    with running_devstack(data, *ADMIN, extra_env=fast) as second:
        # Then the same provider and plans are there, nothing added twice
        assert not any("Linode sandbox provider" in line for line in second.output)
        assert [p["id"] for p in as_admin(second, "GET", "/api/providers").json()["providers"]] == [
            provider["id"]
        ]
        assert sorted(p["id"] for p in customer_plans(second)) == sorted(p["id"] for p in plans)


def test_the_linode_sandbox_keeps_its_instances_across_a_kill(tmp_path: Path) -> None:
    data, fast = tmp_path / "data", {"CS_LINODE_STUB_BOOT_SECONDS": "0"}
    # Given a local stack whose sandbox Linode account has one instance
    with running_devstack(data, *ADMIN, extra_env=fast) as first:
        linode = sandbox(first)
        assert linode.check().regions == 11
        created = linode.create_instance(
            NewInstance("kept-vps", "us-east", "g6-nanode-1", ("cs-vps-e2e",), "Root-Passw0rd-e2e")
        )
        # When the stack is killed
        os.kill(first.process.pid, signal.SIGKILL)
        first.process.wait(timeout=30)

    # Then the restarted stack's sandbox (on another port) still has it, running, and its event
    with running_devstack(data, *ADMIN, extra_env=fast) as second:
        linode = sandbox(second)
        again = linode.instance(created.id)
        assert again is not None and again.status == "running" and again.ipv4 == created.ipv4
        assert [e.action for e in linode.events()] == ["linode_create"]
