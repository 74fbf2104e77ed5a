"""VPS test support: a fake provider account behind the wiring, a synced provider, wallet and VPS helpers.

The fake stands in for the Linode adapter (chalicelib.wiring.vps.cloud_providers); the end-to-end test
against the Linode sandbox stub runs once the adapter is merged.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from tests.fakes.vps import FakeAccount, FakeCloud
from tests.support.api import Api, User

API_KEY = "sandbox-linode-token-7c1f"
POLL_SECONDS = "1"
MAX_WAIT_SECONDS = "20"


@contextlib.contextmanager
def fake_cloud() -> Iterator[FakeCloud]:
    """A fake provider behind the wiring, the workflows polling every second."""
    import chalicelib.wiring.vps as vps_wiring
    from chalicelib import wiring

    fake = FakeCloud()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CS_VPS_POLL_SECONDS", POLL_SECONDS)
        patch.setenv("CS_VPS_MAX_WAIT_SECONDS", MAX_WAIT_SECONDS)
        patch.setattr(vps_wiring, "cloud_providers", lambda: fake)
        wiring.reset()
        try:
            yield fake
        finally:
            wiring.reset()


@pytest.fixture
def cloud(api: Api) -> Iterator[FakeCloud]:
    with fake_cloud() as fake:
        yield fake


@dataclass
class Linode:
    """A provider set up by the admin through the API, its plans synced."""

    id: str
    webhook_secret: str
    account: FakeAccount
    admin: User
    plans: dict[str, dict[str, Any]]  # by provider type id

    def plan(self, type_id: str = "g6-nanode-1") -> str:
        return str(self.plans[type_id]["id"])


def add_linode(api: Api, cloud: FakeCloud) -> Linode:
    """The admin adds a Linode provider and syncs its plans, through the API."""
    admin = api.admin()
    account = cloud.account(API_KEY)
    created = admin.call(
        "POST",
        "/api/providers",
        {
            "name": "Linode sandbox",
            "type": "linode",
            "api_key": API_KEY,
            "configuration": {"base_url": "http://127.0.0.1:9/v4"},
        },
    )
    assert created.status == 201, created.body
    synced = admin.call("POST", f"/api/providers/{created.body['id']}/sync-plans")
    assert synced.status == 200, synced.body
    plans = {p["provider_plan_id"]: p for p in synced.body["added"]}
    return Linode(created.body["id"], created.body["webhook_secret"], account, admin, plans)


@pytest.fixture
def linode(api: Api, cloud: FakeCloud) -> Linode:
    return add_linode(api, cloud)


def fund(admin: User, user: User, amount: str) -> None:
    reply = admin.call(
        "POST",
        "/api/admin/billing/adjustments",
        {"organization_id": user.org_id, "amount": amount, "reason": "test funds"},
    )
    assert reply.status == 201, reply.body


def balance(user: User) -> str:
    reply = user.call("GET", "/api/billing/wallet")
    assert reply.status == 200, reply.body
    return str(reply.body["balance"])


def buy(user: User, plan_id: str, label: str = "web-1", **extra: Any) -> dict[str, Any]:
    reply = user.call(
        "POST", "/api/vps/create", {"plan_id": plan_id, "region": "us-east", "label": label, **extra}
    )
    assert reply.status == 202, reply.body
    return dict(reply.body)


def wait_for_vps(
    user: User, vps_id: str, statuses: tuple[str, ...] = ("running", "error"), timeout: float = 60.0
) -> dict[str, Any]:
    """Poll the record until it reaches one of `statuses` (as a client would)."""
    deadline = time.monotonic() + timeout
    while True:
        reply = user.call("GET", f"/api/vps/{vps_id}")
        assert reply.status == 200, reply.body
        if reply.body["status"] in statuses:
            return dict(reply.body)
        if time.monotonic() > deadline:
            pytest.fail(f"VPS stayed {reply.body['status']} for {timeout}s")
        time.sleep(0.2)


def wait_until_gone(user: User, vps_id: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while user.call("GET", f"/api/vps/{vps_id}").status != 404:
        if time.monotonic() > deadline:
            pytest.fail(f"VPS {vps_id} was not deleted within {timeout}s")
        time.sleep(0.2)


def balance_after_hold_returned(user: User, vps_id: str, timeout: float = 30.0) -> str:
    """The balance once the VPS's hold went back: the workflow's last step records the VPS running (and starts
    its meter) first and gives the hold back right after, so a client can see it running a moment before."""
    deadline = time.monotonic() + timeout
    while True:
        reply = user.call("GET", "/api/billing/transactions")
        assert reply.status == 200, reply.body
        if any(
            t["type"] == "reservation" and t["resource_id"] == vps_id and not t["amount"].startswith("-")
            for t in reply.body["transactions"]
        ):
            return balance(user)
        if time.monotonic() > deadline:
            pytest.fail(f"the hold of VPS {vps_id} did not go back within {timeout}s")
        time.sleep(0.2)
