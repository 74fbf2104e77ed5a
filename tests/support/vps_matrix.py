"""VPS rows of the authorization matrix, and the owner's VPS resources the cells name (against a fake
provider account: tests/support/vps.py)."""

from __future__ import annotations

from devstack.lambda_dispatch import invoke_handler
from tests.fakes.vps import FakeAccount, FakeCloud
from tests.support.api import User
from tests.support.market import package
from tests.support.matrix import JOINED, Caller, Cell, Listing, Row, World
from tests.support.vps import API_KEY, buy, wait_for_vps, wait_until_gone

_ACCOUNT: list[FakeAccount] = []


def public_key(world: World) -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    raw = (
        Ed25519PrivateKey.generate()
        .public_key()
        .public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH)
    )
    return f"{raw.decode()} {world.unique('matrix')}"


def ssh_key(world: World) -> str:
    reply = world.owner.call(
        "POST", "/api/users/ssh-keys", {"name": "matrix", "public_key": public_key(world)}
    )
    assert reply.status == 201, reply.body
    return str(reply.body["id"])


def _instance_of(vps_id: str) -> str:
    account = _ACCOUNT[0]
    return next(i.id for i in account.instances.values() if f"cs-vps-{vps_id}" in i.tags)


def running_vps(world: World) -> str:
    vps = wait_for_vps(world.owner, buy(world.owner, world.ids["plan_id"], world.unique("vps"))["id"])
    assert vps["status"] == "running", vps
    return str(vps["id"])


def stopped_vps(world: World) -> str:
    """The owner's VPS shut down at the provider (what boot needs; delete takes it too)."""
    vps_id = running_vps(world)
    _ACCOUNT[0].settle(_instance_of(vps_id), "offline", "linode_shutdown")
    invoke_handler("VpsPollEvents", {})
    assert wait_for_vps(world.owner, vps_id, ("stopped",))["status"] == "stopped"
    return vps_id


def spare_provider(world: World) -> str:
    reply = world.admin.call(
        "POST",
        "/api/providers",
        {"name": world.unique("spare"), "type": "gcp", "api_key": "gcp-key-12345678"},
    )
    assert reply.status == 201, reply.body
    return str(reply.body["id"])


def fund(world: World, user: User, amount: str = "50.00") -> None:
    reply = world.admin.call(
        "POST",
        "/api/admin/billing/adjustments",
        {"organization_id": user.org_id, "amount": amount, "reason": "matrix"},
    )
    assert reply.status == 201, reply.body


def add_vps_resources(world: World, cloud: FakeCloud) -> None:
    """A synced Linode provider, funded wallets for every organization that may buy, the owner's running VPS
    and SSH key, and a reconciliation report. The owner's organization is on a package without limits: its
    cells buy more VPS instances than the default package allows."""
    _ACCOUNT[:] = [cloud.account(API_KEY)]
    unlimited = package(world.admin, world.unique("Matrix"))
    assigned = world.admin.call(
        "PUT", f"/api/admin/organizations/{world.owner.org_id}/package", {"package_id": unlimited}
    )
    assert assigned.status == 200, assigned.body
    created = world.admin.call(
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
    provider_id = str(created.body["id"])
    synced = world.admin.call("POST", f"/api/providers/{provider_id}/sync-plans")
    assert synced.status == 200, synced.body
    for user in (world.owner, world.other, world.admin):
        fund(world, user)
    world.makers.update({"vps_id": stopped_vps, "key_id": ssh_key, "provider_id": spare_provider})
    world.ids.update({"provider_id": provider_id, "plan_id": str(synced.body["added"][0]["id"])})
    world.ids.update({"vps_id": running_vps(world), "key_id": ssh_key(world)})
    assert world.admin.call("POST", f"/api/providers/{provider_id}/reconcile").status == 200


def settle_created_vps(world: World, cells: list[Cell]) -> None:
    for cell in cells:  # what a member bought belongs to the owner's organization: the owner waits for it
        user = world.owner if cell.caller in JOINED else world.user_of(cell.caller)
        if cell.reply.status == 202 and user is not None:
            wait_for_vps(user, cell.reply.body["id"])


def wait_for_deletions(world: World, cells: list[Cell]) -> None:
    for cell in cells:  # what a member bought belongs to the owner's organization: the owner waits for it
        user = world.owner if cell.caller in JOINED else world.user_of(cell.caller)
        if cell.reply.status == 202 and user is not None:
            wait_until_gone(user, cell.reply.body["id"])


VPS_ROWS: dict[str, Row] = {
    # plans and regions: any signed-in user; prices per caller's role
    "list_vps_plans": Row(),
    "list_vps_regions": Row(),
    # the organization's VPS
    "create_vps": Row(
        body=lambda w: {"plan_id": w.ids["plan_id"], "region": "us-east", "label": w.unique("vps")},
        after=settle_created_vps,
    ),
    "list_vps": Row(lists=Listing("vps", "vps_id")),
    "get_vps_instance": Row(),
    "boot_vps": Row(fresh=("vps_id",)),
    # every operator's cell gets its own running VPS: a shutdown or reboot in flight refuses another
    "shutdown_vps": Row(fresh=("vps_id",), make={"vps_id": running_vps}),
    "reboot_vps": Row(fresh=("vps_id",), make={"vps_id": running_vps}),
    "delete_vps": Row(fresh=("vps_id",), after=wait_for_deletions),
    # the caller's own SSH keys (another user's key is a 404, like a missing one)
    "list_ssh_keys": Row(lists=Listing("ssh_keys", "key_id", personal=True)),
    "add_ssh_key": Row(body=lambda w: {"name": w.unique("key"), "public_key": public_key(w)}),
    "remove_ssh_key": Row(fresh=("key_id",), expect={caller: 404 for caller in JOINED}),  # the owner's own
    # Linode events are signed per provider; an unsigned delivery is refused whoever sends it
    "linode_webhook": Row(expect=dict.fromkeys(Caller, 400)),
    # providers, plan markup, costs, reconciliation: platform admins only
    "list_providers": Row(),
    "create_provider": Row(
        body=lambda w: {"name": w.unique("p"), "type": "aws", "api_key": "aws-key-12345678"}
    ),
    "get_provider": Row(),
    "update_provider": Row(body=lambda w: {"name": w.unique("renamed")}),
    "remove_provider": Row(fresh=("provider_id",)),
    "test_provider": Row(),
    "sync_provider_plans": Row(),
    "update_vps_plan": Row(body=lambda w: {"active": True}),
    "provider_costs": Row(),
    "list_provider_reconciliations": Row(),
    "reconcile_provider": Row(),
}
