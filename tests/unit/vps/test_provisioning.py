"""The provisioning saga's steps: idempotent creation, polling, metering, compensation; and deletion."""

from __future__ import annotations

import pytest

from chalicelib.domain.vps.entities import OUR_TAG
from chalicelib.domain.vps.ports import ProviderRejected, ProviderUnavailable
from chalicelib.domain.vps.provisioning import InstanceVanished, ProvisioningTimedOut
from tests.unit.vps.world import ANN, World


def test_the_happy_path_records_the_addresses_starts_metering_and_gives_the_hold_back() -> None:
    world = World()
    world.linode()
    vps, _ = world.buy(balance_cents=1_000)
    running = world.provision(vps)
    assert running.status == "running" and running.ip_address and running.ipv6
    assert world.instances.meters[vps.id] == (running.running_since, 12_000, None)
    assert world.funds.balances["o1"] == 1_000, "the hold went back once metering took over"
    [instance] = world.account.instances.values()
    assert set(instance.tags) == {OUR_TAG, f"cs-vps-{vps.id}", "cs-org-o1"}


def test_the_create_step_run_twice_makes_one_instance() -> None:
    world = World()
    world.linode()
    vps, _ = world.buy()
    first = world.provisioner.create_instance("o1", vps.id)
    second = world.provisioner.create_instance("o1", vps.id)
    assert first == second and world.account.created == 1


def test_a_create_whose_answer_was_lost_is_found_by_its_tag_on_the_retry() -> None:
    # Given a provider that creates the instance and then answers 500
    world = World()
    world.linode()
    world.account.lose_create_answer = True
    vps, _ = world.buy()
    with pytest.raises(ProviderUnavailable):
        world.provisioner.create_instance("o1", vps.id)
    # When Step Functions retries the step
    instance_id = world.provisioner.create_instance("o1", vps.id)
    # Then it adopts the instance it made instead of making another
    assert world.account.created == 1 and instance_id in world.account.instances


def test_compensation_deletes_what_was_created_and_refunds_with_a_readable_reason() -> None:
    world = World()
    world.linode()
    vps, _ = world.buy(balance_cents=1_000)
    world.provisioner.create_instance("o1", vps.id)
    assert world.provisioner.remove_created("o1", vps.id) == 1
    world.provisioner.fail("o1", vps.id, "The provider did not start the VPS within 10 minutes.")
    failed = world.instances.get("o1", vps.id)
    assert (
        failed.status == "error"
        and failed.status_reason == "The provider did not start the VPS within 10 minutes."
    )
    assert world.account.instances == {} and world.funds.balances["o1"] == 1_000
    assert vps.id not in world.instances.meters, "nothing was metered"


def test_compensating_twice_refunds_once() -> None:
    world = World()
    world.linode()
    vps, _ = world.buy(balance_cents=1_000)
    for _ in range(2):
        world.provisioner.remove_created("o1", vps.id)
        world.provisioner.fail("o1", vps.id, "no")
    assert world.funds.balances["o1"] == 1_000


def test_an_instance_that_never_runs_times_out_after_the_configured_wait() -> None:
    world = World()
    world.linode()
    world.account.never_runs = True
    vps, _ = world.buy()
    world.provisioner.create_instance("o1", vps.id)
    assert world.provisioner.is_running("o1", vps.id) is False
    world.later(seconds=601)
    with pytest.raises(ProvisioningTimedOut, match="within 10 minutes"):
        world.provisioner.is_running("o1", vps.id)


def test_an_instance_the_provider_lost_while_booting_fails_the_wait() -> None:
    world = World()
    world.linode()
    vps, _ = world.buy()
    instance_id = world.provisioner.create_instance("o1", vps.id)
    assert instance_id is not None
    world.account.delete_outside(instance_id)
    with pytest.raises(InstanceVanished):
        world.provisioner.is_running("o1", vps.id)


def test_a_refusal_by_the_provider_propagates_for_the_workflow_to_catch() -> None:
    world = World()
    world.linode()
    world.account.fail("create_instance", ProviderRejected("region is not available", status=400))
    vps, _ = world.buy()
    with pytest.raises(ProviderRejected):
        world.provisioner.create_instance("o1", vps.id)


def test_deleting_stops_metering_only_once_the_provider_confirms() -> None:
    world = World()
    vps = world.running_vps()
    world.service.delete(ANN, vps.id)
    world.account.fail("instance", ProviderUnavailable("busy"))
    world.provisioner.delete_instance("o1", vps.id)
    with pytest.raises(ProviderUnavailable):
        world.provisioner.is_deleted("o1", vps.id)
    assert world.instances.meters[vps.id][2] is None, "still metered while unconfirmed"
    assert world.provisioner.is_deleted("o1", vps.id) is True
    assert world.instances.meters[vps.id][2] == world.now
    assert world.instances.items == {} and world.instances.ended[vps.id].status == "deleted"


def test_a_delete_that_gives_up_shows_the_providers_status_and_why() -> None:
    world = World()
    vps = world.running_vps()
    world.service.delete(ANN, vps.id)
    world.provisioner.delete_failed("o1", vps.id, "The provider refused: busy.")
    after = world.instances.get("o1", vps.id)
    assert after.status == "running"
    assert (
        after.status_reason
        == "Deleting the VPS failed: The provider refused: busy. Delete it again to retry."
    )
