"""Changes to a deployed container roll out new-before-old; a change that fails leaves what ran running, and
capacity is claimed and given back exactly once (fake engine and store)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

import pytest

from chalicelib.domain.containers.entities import ContainerChanges, Resources
from chalicelib.domain.containers.naming import engine_name
from chalicelib.domain.containers.service import ContainerService
from chalicelib.domain.hosts.entities import Allocation
from chalicelib.domain.shared.errors import NoCapacity, ServiceUnavailable
from tests.fakes.hosts import host
from tests.fakes.shared import FakeWorkflows
from tests.unit.containers.world import ANN, MI, World, request

HALF_CORE = Allocation(500, 64 * MI)


def deployed(world: World, host_port: int | None = None, replicas: int = 1) -> str:
    created = world.service.create(ANN, request(host_port=host_port))
    world.run_workflow("o1", created.id)
    if replicas != 1:
        world.service.scale(ANN, created.id, replicas, None)
        world.run_workflow("o1", created.id)
    assert world.record(created.id).status == "running"
    return created.id


def test_a_redeploy_starts_the_new_version_before_it_removes_the_old() -> None:
    world = World()
    cid = deployed(world)
    [old] = world.record(cid).engine_ids
    world.service.update(ANN, cid, ContainerChanges(environment={"B": "2"}))
    generation = world.record(cid).generation
    [new] = world.provisioner.converge("o1", cid, generation) or []
    engine = world.engines["h1"]
    assert {old, new} <= set(engine.containers) and engine.containers[old].status == "running"
    assert world.record(cid).engine_ids == (old,), "the record lists the old replica until the switch"
    world.provisioner.mark_running("o1", cid, generation, [new])
    assert list(engine.containers) == [new] and world.record(cid).engine_ids == (new,)
    assert engine.specs[new].name == engine_name(cid, generation, 0)
    assert world.allocated() == HALF_CORE == world.held_on()


def test_a_redeploy_to_a_missing_image_keeps_the_previous_version_running_and_says_why() -> None:
    world = World()
    cid = deployed(world)
    [old] = world.record(cid).engine_ids
    world.service.update(ANN, cid, ContainerChanges(image="mistyped:1"))
    world.run_workflow("o1", cid)
    record = world.record(cid)
    assert (record.status, record.image, record.engine_ids) == ("running", "web:1", (old,))
    assert record.status_reason is not None
    assert record.status_reason.startswith("The update to image 'mistyped:1' failed: Image 'mistyped:1'")
    assert record.status_reason.endswith("the previous version is still running.")
    assert list(world.engines["h1"].containers) == [old]
    assert world.engines["h1"].containers[old].status == "running"
    assert world.allocated() == HALF_CORE == world.held_on()
    world.service.update(ANN, cid, ContainerChanges(environment={"FIXED": "1"}))
    world.run_workflow("o1", cid)
    assert world.record(cid).status_reason is None and world.record(cid).engine_ids != (old,)


def test_a_fixed_host_port_is_handed_over_by_stopping_the_old_replica_just_before_the_new_starts() -> None:
    world = World()
    cid = deployed(world, host_port=8080)
    [old] = world.record(cid).engine_ids
    engine = world.engines["h1"]
    engine.calls.clear()
    world.service.update(ANN, cid, ContainerChanges(environment={"B": "2"}))
    world.run_workflow("o1", cid)
    generation = world.record(cid).generation
    assert engine.calls[:2] == [f"stop {old}", f"create {engine_name(cid, generation, 0)}"]
    [new] = world.record(cid).engine_ids
    assert list(engine.containers) == [new] and engine.containers[new].ports[0].host == 8080


def test_a_failed_redeploy_on_a_fixed_host_port_starts_the_old_replica_again() -> None:
    world = World()
    cid = deployed(world, host_port=8080)
    [old] = world.record(cid).engine_ids
    engine = world.engines["h1"]
    engine.calls.clear()
    world.service.update(ANN, cid, ContainerChanges(image="mistyped:1"))
    world.run_workflow("o1", cid)
    assert engine.calls[0] == f"stop {old}" and f"start {old}" in engine.calls
    assert engine.containers[old].status == "running"
    assert world.record(cid).status == "running" and world.record(cid).image == "web:1"


def test_scale_out_the_engine_cannot_start_keeps_the_previous_replicas_and_gives_the_claim_back() -> None:
    world = World()
    cid = deployed(world)
    [old] = world.record(cid).engine_ids
    scaled = world.service.scale(ANN, cid, 3, None)
    assert world.allocated() == HALF_CORE.times(3), "the claim for new replicas is made up front"
    world.engines["h1"].refuse_names.add(engine_name(cid, scaled.generation, 2))
    world.run_workflow("o1", cid)
    record = world.record(cid)
    assert (record.status, record.replicas, record.engine_ids) == ("running", 1, (old,))
    assert record.status_reason is not None and record.status_reason.startswith(
        "Scaling to 3 replicas failed"
    )
    assert "f" * 64 not in record.status_reason, "engine ids never reach the customer"
    assert "replica 2" in record.status_reason
    assert list(world.engines["h1"].containers) == [old]
    assert world.allocated() == HALF_CORE == world.held_on()


def test_scaling_in_gives_capacity_back_only_when_the_fewer_replicas_are_in_place() -> None:
    world = World()
    cid = deployed(world, replicas=3)
    world.service.scale(ANN, cid, 1, None)
    assert world.allocated() == HALF_CORE.times(3)
    world.run_workflow("o1", cid)
    assert len(world.engines["h1"].containers) == 1 and world.record(cid).replicas == 1
    assert world.allocated() == HALF_CORE == world.held_on()


def test_a_first_deployment_that_fails_gives_its_capacity_back_and_a_delete_does_not_give_it_twice() -> None:
    world = World()
    created = world.service.create(ANN, request(image="mistyped:1"))
    assert world.allocated() == HALF_CORE
    world.run_workflow("o1", created.id)
    record = world.record(created.id)
    assert record.status == "error" and not record.holds_capacity and record.engine_ids == ()
    assert world.allocated() == Allocation(0, 0)
    world.service.delete(ANN, created.id, purge_volumes=False)
    assert world.allocated() == Allocation(0, 0)


def test_deploying_again_after_a_failed_first_deployment_claims_again() -> None:
    world = World()
    created = world.service.create(ANN, request(image="mistyped:1"))
    world.run_workflow("o1", created.id)
    again = world.service.update(ANN, created.id, ContainerChanges(image="web:1"))
    assert again.status == "provisioning" and world.allocated() == HALF_CORE
    world.run_workflow("o1", created.id)
    assert world.record(created.id).status == "running"
    assert world.allocated() == HALF_CORE == world.held_on()


def test_deploying_again_on_a_draining_host_names_the_draining_host_as_the_cause() -> None:
    world = World()
    created = world.service.create(ANN, request(image="mistyped:1"))
    world.run_workflow("o1", created.id)
    world.hosts.set_status("h1", "draining", world.now)
    with pytest.raises(NoCapacity, match="host is draining") as caught:
        world.service.update(ANN, created.id, ContainerChanges(image="web:1"))
    assert caught.value.details == {"reason": "host_draining"}
    assert world.record(created.id).status == "error" and world.allocated() == Allocation(0, 0)


def test_when_every_host_is_draining_a_create_says_so_rather_than_no_room() -> None:
    world = World(replace(host("a"), status="draining"), replace(host("b"), status="draining"))
    with pytest.raises(NoCapacity, match="Every container host is draining"):
        world.service.create(ANN, request())


def test_a_full_host_is_no_room_not_draining() -> None:
    world = World(host("h1", cpus=1))
    cid = deployed(world)
    with pytest.raises(NoCapacity, match="no room"):
        world.service.scale(ANN, cid, None, Resources(2000, 64 * MI))
    assert world.allocated() == HALF_CORE


def test_a_redeploy_whose_workflow_cannot_start_keeps_the_previous_version() -> None:
    class Broken(FakeWorkflows):
        def start(self, name: str, execution_name: str, payload: Mapping[str, object]) -> str:
            raise ServiceUnavailable("down")

    world = World()
    cid = deployed(world)
    world.service = ContainerService(world.containers, world.hosts, world.engine_for, Broken())
    with pytest.raises(ServiceUnavailable):
        world.service.update(ANN, cid, ContainerChanges(image="web:2"))
    record = world.record(cid)
    assert (record.status, record.image) == ("running", "web:1")
    assert "could not be started" in (record.status_reason or "")


def test_marking_running_reads_the_record_again_when_a_rename_raced_it() -> None:
    world = World()
    created = world.service.create(ANN, request())
    ids = world.provisioner.converge("o1", created.id, 1)
    world.service.update(ANN, created.id, ContainerChanges(name="renamed"))
    world.provisioner.mark_running("o1", created.id, 1, ids or [])
    record = world.record(created.id)
    assert (record.status, record.name) == ("running", "renamed")


def test_a_run_whose_record_was_deleted_meanwhile_leaves_nothing_on_the_engine() -> None:
    world = World()
    created = world.service.create(ANN, request())
    engine = world.engines["h1"]
    original = engine.create_and_start

    def create_then_lose_the_record(spec):  # type: ignore[no-untyped-def]
        made = original(spec)
        world.containers.delete_and_release(world.record(created.id))
        return made

    engine.create_and_start = create_then_lose_the_record  # type: ignore[method-assign]
    assert world.provisioner.converge("o1", created.id, 1) is None
    assert engine.containers == {} and world.allocated() == Allocation(0, 0)
