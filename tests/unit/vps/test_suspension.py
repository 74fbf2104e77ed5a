"""Billing's suspension covers VPS: shut down when the organization is suspended, booted when it is funded,
deleted on termination; a suspended organization cannot boot or reboot one (402)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from chalicelib.domain.billing.entities import BillingPolicy, BillingState
from chalicelib.domain.billing.suspension import Suspension
from chalicelib.domain.billing.workloads import CompositeWorkloads
from chalicelib.domain.shared.errors import PaymentRequired
from chalicelib.domain.vps.entities import Vps
from chalicelib.domain.vps.workloads import VpsWorkloads
from tests.unit.billing.test_suspension import HOUR, Directory, Engine, Mail, States, Workloads
from tests.unit.vps.world import ANN, World


class Funds:
    """The VPS service's view of suspension, read from the same billing states the suspension writes."""

    def __init__(self, world: World, states: States) -> None:
        self._world, self._states = world, states

    def __getattr__(self, name: str) -> object:
        return getattr(self._world.funds, name)

    def suspended(self, org_id: str) -> bool:
        return self._states.get(org_id).suspended_at is not None


def setting(world: World) -> tuple[Suspension, Engine, States]:
    """Ann's organization with containers c1, c2 and VPS, the suspension seeing both (no grace period)."""
    states, engine = States(), Engine()
    world.service._funds = Funds(world, states)  # type: ignore[assignment]
    workloads = CompositeWorkloads(Workloads(engine), {"vps": VpsWorkloads(lambda: world.service)})
    policy = BillingPolicy(grace_seconds=0, terminate_after_seconds=14 * 86400)
    suspension = Suspension(states, workloads, Mail(), Directory(), policy, clock=world.clock)
    return suspension, engine, states


def shut_down(world: World, vps: Vps) -> Vps:
    """The provider finished shutting it down, and its event reached the record."""
    assert vps.provider_instance_id is not None
    world.account.settle(vps.provider_instance_id, "offline")
    current = world.instances.get(vps.organization_id, vps.id)
    world.instances.update(current, replace(current, status="stopped", version=current.version + 1))
    return world.instances.get(vps.organization_id, vps.id)


def test_suspension_shuts_the_vps_down_and_a_top_up_boots_it_again() -> None:
    # Given Ann's running VPS next to her running containers
    world = World()
    vps = world.running_vps()
    suspension, engine, states = setting(world)
    # When her balance stays below zero past the grace period
    state = suspension.review(ANN.organization_id, -10, HOUR)
    # Then the VPS is shut down at the provider along with the containers, each recorded by a distinct id
    assert state.suspended_at is not None and engine.running == set()
    assert world.instances.get("o1", vps.id).status == "shutting_down"
    assert world.account.calls.get("shutdown") == 1
    assert set(state.suspended_ids) == {"c1", "c2", f"vps:{vps.id}"}
    stopped = shut_down(world, vps)
    # And Ann cannot boot it while suspended
    with pytest.raises(PaymentRequired, match="add funds"):
        world.service.boot(ANN, stopped.id)
    assert world.account.calls.get("boot") is None
    # When she adds funds
    suspension.funded(ANN.organization_id, 10_00)
    # Then the VPS boots again with the containers
    assert world.instances.get("o1", vps.id).status == "booting" and world.account.calls.get("boot") == 1
    assert engine.running == {"c1", "c2"} and states.get("o1") == BillingState(organization_id="o1")


def test_a_suspended_organization_cannot_reboot_a_vps_still_running() -> None:
    world = World()
    vps = world.running_vps()
    world.funds.suspended_orgs.add("o1")
    with pytest.raises(PaymentRequired):
        world.service.reboot(ANN, vps.id)
    assert world.service.shutdown(ANN, vps.id).status == "shutting_down", "shutting down is always allowed"


def test_long_suspension_deletes_the_vps() -> None:
    world = World()
    vps = world.running_vps()
    suspension, engine, _ = setting(world)
    suspension.review("o1", -10, HOUR)
    shut_down(world, vps)
    world.later(days=11, hours=1)
    suspension.review("o1", -10, HOUR)  # the notice
    world.later(days=3)
    suspension.review("o1", -10, HOUR)
    assert engine.removed == {"c1", "c2"}
    assert world.instances.get("o1", vps.id).status == "deleting"
    assert [name for name, _ in world.workflows.started.values()].count("delete-vps") == 1


def test_what_a_vps_workload_id_names_goes_to_that_kind_only() -> None:
    # Given a container id that happens to contain a colon, and one of an unknown kind
    engine = Engine()
    engine.running = {"plain:1"}
    world = World()
    vps = world.running_vps()
    workloads = CompositeWorkloads(Workloads(engine), {"vps": VpsWorkloads(lambda: world.service)})
    assert sorted(workloads.running("o1")) == sorted(["plain:1", f"vps:{vps.id}"])
    # When each is stopped, Then each reaches its own kind
    workloads.stop("o1", "plain:1")
    workloads.stop("o1", f"vps:{vps.id}")
    assert engine.running == set() and world.instances.get("o1", vps.id).status == "shutting_down"
    # And a VPS gone meanwhile is no error
    workloads.terminate("o1", "vps:no-such-vps")
    assert [name for name, _ in world.workflows.started.values()].count("delete-vps") == 0
