"""Another organization's VPS is a 404 everywhere; actions; provider events by webhook and poller;
reconciliation of orphans and ghosts, reported and mailed to the administrators."""

from __future__ import annotations

import json
from typing import Any

import pytest

from chalicelib.domain.vps.entities import OUR_TAG
from chalicelib.domain.vps.events import signature
from devstack.lambda_dispatch import invoke_handler
from devstack.smtp import MailServer
from tests.support.api import Api, User
from tests.support.vps import Linode, buy, fund, wait_for_vps, wait_until_gone

ROUTES = (
    ("GET", ""),
    ("POST", "/boot"),
    ("POST", "/shutdown"),
    ("POST", "/reboot"),
    ("DELETE", ""),
)


def running_vps(api: Api, linode: Linode, name: str = "Ann") -> tuple[User, dict[str, Any]]:
    user = api.user(name)
    fund(linode.admin, user, "10.00")
    return user, wait_for_vps(user, buy(user, linode.plan())["id"])


def test_another_organizations_vps_is_not_found_on_every_route(api: Api, linode: Linode) -> None:
    ann, vps = running_vps(api, linode)
    bob = api.user("Bob")
    for method, suffix in ROUTES:
        reply = bob.call(method, f"/api/vps/{vps['id']}{suffix}")
        assert (reply.status, reply.body["error"]["code"]) == (404, "not_found"), (method, suffix)
    assert bob.call("GET", "/api/vps").body["vps"] == []
    assert wait_for_vps(ann, vps["id"])["status"] == "running", "nothing happened to Ann's VPS"
    assert (
        linode.account.calls.get("shutdown") is None and linode.account.calls.get("delete_instance") is None
    )


def test_shutdown_and_boot_go_through_the_provider(api: Api, linode: Linode) -> None:
    ann, vps = running_vps(api, linode)
    down = ann.call("POST", f"/api/vps/{vps['id']}/shutdown")
    assert down.status == 202 and down.body["status"] == "shutting_down"
    assert ann.call("POST", f"/api/vps/{vps['id']}/boot").status == 409
    linode.account.settle(vps_instance(linode, vps["id"]), "offline", "linode_shutdown")
    invoke_handler("VpsPollEvents", {})
    assert ann.call("GET", f"/api/vps/{vps['id']}").body["status"] == "stopped"
    assert ann.call("POST", f"/api/vps/{vps['id']}/boot").body["status"] == "booting"


def vps_instance(linode: Linode, vps_id: str) -> str:
    return next(i.id for i in linode.account.instances.values() if f"cs-vps-{vps_id}" in i.tags)


def deliver(api: Api, linode: Linode, event: dict[str, Any], secret: str | None = None) -> Any:
    body = json.dumps(event).encode()
    headers = {
        "X-CS-Provider-Id": linode.id,
        "X-CS-Signature": signature(secret or linode.webhook_secret, body),
    }
    return api.call("POST", "/api/webhooks/linode", headers=headers, raw=body)


def linode_event(event_id: int, action: str, instance_id: str) -> dict[str, Any]:
    """Shaped like Linode's account event objects (vendor/linode/account_events_123.json)."""
    return {
        "id": event_id,
        "action": action,
        "created": "2026-11-26T12:00:00",
        "duration": 1.5,
        "entity": {
            "id": int(instance_id),
            "label": "cs-x",
            "type": "linode",
            "url": f"/v4/linode/instances/{instance_id}",
        },
        "message": None,
        "percent_complete": 100,
        "rate": None,
        "read": False,
        "secondary_entity": None,
        "seen": False,
        "status": "finished",
        "username": "someone-at-linode",
    }


def test_a_signed_webhook_event_is_applied_once_and_a_forged_one_changes_nothing(
    api: Api, linode: Linode
) -> None:
    # Given Ann's VPS shut down from Linode's side
    ann, vps = running_vps(api, linode)
    instance_id = vps_instance(linode, vps["id"])
    linode.account.settle(instance_id, "offline")
    event = linode_event(9001, "linode_shutdown", instance_id)
    # When a forged delivery arrives, then the signed one twice
    forged = deliver(api, linode, event, secret="guessed")
    first = deliver(api, linode, event)
    again = deliver(api, linode, event)
    # Then
    assert forged.status == 400 and forged.body["error"]["details"][0]["field"] == "X-CS-Signature"
    assert (first.status, first.body["status"], again.body["status"]) == (200, "applied", "duplicate")
    assert ann.call("GET", f"/api/vps/{vps['id']}").body["status"] == "stopped"


def test_a_deletion_at_the_provider_stops_metering(api: Api, linode: Linode) -> None:
    from chalicelib.store.billing.meters import MeterRepository

    ann, vps = running_vps(api, linode)
    linode.account.delete_outside(vps_instance(linode, vps["id"]))
    result = invoke_handler("VpsPollEvents", {})
    assert isinstance(result, dict) and result["applied"] == 1
    wait_until_gone(ann, vps["id"])
    [meter] = MeterRepository().of_org(ann.org_id)
    assert meter.ended_at is not None


@pytest.fixture
def reports_to(smtp: MailServer, monkeypatch: pytest.MonkeyPatch) -> MailServer:
    from chalicelib import wiring

    monkeypatch.setenv("CS_VPS_REPORT_EMAIL", "ops@example.com")
    wiring.reset()
    return smtp


def test_reconciliation_finds_orphans_and_ghosts_and_mails_the_administrators(
    api: Api, linode: Linode, reports_to: MailServer
) -> None:
    # Given a VPS gone at Linode without an event, and an instance under our tag that no record has
    ann, vps = running_vps(api, linode)
    linode.account.instances.pop(vps_instance(linode, vps["id"]))
    stray = linode.account.add_stray((OUR_TAG, "cs-vps-0000", f"cs-org-{ann.org_id}"))
    # When the administrator reconciles
    reply = linode.admin.call("POST", f"/api/providers/{linode.id}/reconcile")
    # Then both are reported, listed and mailed
    assert reply.status == 200, reply.body
    assert [o["provider_instance_id"] for o in reply.body["orphans"]] == [stray.id]
    assert [g["vps_id"] for g in reply.body["ghosts"]] == [vps["id"]]
    listed = linode.admin.call("GET", f"/api/providers/{linode.id}/reconciliations").body["reconciliations"]
    assert [r["id"] for r in listed] == [reply.body["id"]]
    [mail] = reports_to.messages()
    assert mail["To"] == "ops@example.com" and "1 orphans, 1 ghosts" in mail["Subject"]


def test_the_scheduled_reconciliation_covers_every_active_provider(api: Api, linode: Linode) -> None:
    result = invoke_handler("VpsReconcile", {})
    assert result == {"providers": 1, "orphans": 0, "ghosts": 0}
