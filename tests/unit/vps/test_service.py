"""Buying a VPS (funds held first, 402 before anything exists), its actions, and SSH keys."""

from __future__ import annotations

import base64
import hashlib

import pytest

from chalicelib.domain.shared.errors import Conflict, InsufficientFunds, PaymentRequired, ValidationFailed
from chalicelib.domain.vps.accounts import root_context
from chalicelib.domain.vps.service import VpsRequest
from chalicelib.domain.vps.sshkeys import parse_public_key
from tests.unit.vps.world import ANN, BOB, World


def ed25519_public_key(comment: str = "me@laptop") -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    raw = (
        Ed25519PrivateKey.generate()
        .public_key()
        .public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH)
    )
    return f"{raw.decode()} {comment}"


def test_buying_holds_the_price_of_the_configured_hours_and_starts_provisioning() -> None:
    # Given a wallet of 10.00 and a plan at 0.012 an hour
    world = World()
    world.linode()
    # When Ann buys a VPS
    vps, password = world.buy(balance_cents=1_000)
    # Then 24 hours' worth (0.29) is held, the record waits for its workflow, the password is new and strong
    assert vps.hold_cents == 29 and world.funds.balances["o1"] == 971
    assert vps.status == "provisioning" and vps.hourly_micros == 12_000
    assert [name for name, _ in world.workflows.started.values()] == ["provision-vps"]
    assert len(password) >= 20 and password not in repr(vps)
    assert vps.root_password_encrypted is not None
    assert world.box.decrypt(vps.root_password_encrypted, root_context(vps.id)) == password


def test_a_wallet_that_does_not_cover_the_hold_is_a_402_before_anything_is_created() -> None:
    world = World()
    world.linode()
    with pytest.raises(InsufficientFunds, match=r"0\.29"):
        world.buy(balance_cents=28)
    assert world.instances.items == {} and world.workflows.started == {}
    assert world.account.created == 0


def test_a_suspended_organization_cannot_buy() -> None:
    world = World()
    world.linode()
    world.funds.suspended_orgs.add("o1")
    with pytest.raises(PaymentRequired):
        world.buy()
    assert world.funds.holds == {}


def test_a_region_the_provider_does_not_offer_or_that_is_down_is_a_400_naming_region() -> None:
    world = World()
    world.linode()
    for region in ("mars-1", "ap-south"):
        with pytest.raises(ValidationFailed) as refused:
            world.buy(region=region)
        assert refused.value.details == {"field": "region"}


def test_a_plan_that_is_not_on_sale_is_a_400_naming_plan_id() -> None:
    world = World()
    world.linode()
    with pytest.raises(ValidationFailed) as refused:
        world.service.create(ANN, VpsRequest("no-such-plan", "us-east", "web"))
    assert refused.value.details == {"field": "plan_id"}


def test_ssh_keys_of_someone_else_cannot_be_put_on_a_vps() -> None:
    world = World()
    world.linode()
    bobs = world.service.add_key(BOB, "bob", ed25519_public_key())
    world.funds.balances["o1"] = 10_000
    with pytest.raises(ValidationFailed) as refused:
        world.service.create(ANN, VpsRequest(world.plan().id, "us-east", "web", (bobs.id,)))
    assert refused.value.details == {"field": "ssh_key_ids"}


def test_the_customers_ssh_keys_reach_root_on_the_new_instance() -> None:
    world = World()
    world.linode()
    key = world.service.add_key(ANN, "laptop", ed25519_public_key())
    world.funds.balances["o1"] = 10_000
    vps, password = world.service.create(ANN, VpsRequest(world.plan().id, "us-east", "web", (key.id,)))
    running = world.provision(vps)
    assert running.provider_instance_id is not None
    assert world.account.keys[running.provider_instance_id] == (key.public_key,)
    assert world.account.passwords[running.provider_instance_id] == password
    assert running.root_password_encrypted is None, "the password is not kept once the provider has it"


def test_actions_need_the_right_status() -> None:
    world = World()
    vps = world.running_vps()
    with pytest.raises(Conflict, match="boot needs it stopped"):
        world.service.boot(ANN, vps.id)
    assert world.service.shutdown(ANN, vps.id).status == "shutting_down"
    assert world.account.calls.get("shutdown") == 1


def test_a_vps_still_being_created_cannot_be_deleted_yet() -> None:
    world = World()
    world.linode()
    vps, _ = world.buy()
    with pytest.raises(Conflict, match="still being created"):
        world.service.delete(ANN, vps.id)


def test_deleting_twice_starts_one_workflow() -> None:
    world = World()
    vps = world.running_vps()
    world.service.delete(ANN, vps.id)
    world.service.delete(ANN, vps.id)
    assert [name for name, _ in world.workflows.started.values()].count("delete-vps") == 1


def test_an_openssh_public_key_is_accepted_with_its_sha256_fingerprint() -> None:
    line = ed25519_public_key("me@laptop")
    normalised, fingerprint = parse_public_key(f"  {line}\n")
    blob = base64.b64decode(line.split()[1])
    assert normalised == line
    assert fingerprint == "SHA256:" + base64.b64encode(hashlib.sha256(blob).digest()).decode().rstrip("=")


@pytest.mark.parametrize(
    "text",
    [
        "",
        "ssh-ed25519",
        "ssh-dss AAAAB3NzaC1kc3MAAACBAP",
        "ssh-ed25519 not-base64!",
        "ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIGx0",  # an ed25519 blob labelled rsa
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5",  # truncated
        "-----BEGIN OPENSSH PRIVATE KEY-----",
    ],
)
def test_anything_sshd_would_refuse_is_a_400_naming_public_key(text: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        parse_public_key(text)
    assert refused.value.details == {"field": "public_key"}


def test_the_same_key_twice_is_a_conflict() -> None:
    world = World()
    line = ed25519_public_key()
    world.service.add_key(ANN, "a", line)
    with pytest.raises(Conflict):
        world.service.add_key(ANN, "b", line)
