"""Containers with a fake engine: placement, convergence, compensation, reconciliation, name guard."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

import pytest

from chalicelib.domain.containers.entities import ContainerChanges, Resources
from chalicelib.domain.containers.service import ContainerService
from chalicelib.domain.hosts.entities import Allocation
from chalicelib.domain.shared.errors import (
    Conflict,
    ImageNotFound,
    NoCapacity,
    NotFound,
    ServiceUnavailable,
    ValidationFailed,
)
from tests.fakes.hosts import host
from tests.fakes.shared import FakeWorkflows
from tests.unit.containers.world import ANN, BOB, MI, World, request


def test_create_places_on_the_host_with_most_free_capacity_and_starts_the_workflow() -> None:
    busy, idle = replace(host("busy"), allocated=Allocation(3000, 0)), host("idle")
    world = World(busy, idle)
    created = world.service.create(ANN, request())
    assert created.status == "provisioning" and created.host_id == "idle"
    assert world.hosts.get("idle").allocated.cpu_millis == 500
    assert world.workflows.started == {
        f"{created.id}-g1": (
            "provision-container",
            {"organization_id": "o1", "container_id": created.id, "generation": 1},
        )
    }


def test_no_host_with_room_is_a_clear_conflict() -> None:
    world = World(host("small", cpus=1), replace(host("drained"), status="draining"))
    with pytest.raises(NoCapacity, match="No container host has room"):
        world.service.create(ANN, request(cpu=2000))


def test_converge_creates_engine_containers_with_limits_labels_and_is_idempotent() -> None:
    world = World()
    created = world.service.create(ANN, request())
    world.provision("o1", created.id)
    engine = world.engines["h1"]
    first = world.containers.get("o1", created.id)
    assert first.status == "running" and len(first.engine_ids) == 1
    spec = engine.specs[first.engine_ids[0]]
    assert (spec.cpu, spec.memory_bytes, spec.publish_ip) == (0.5, 64 * MI, "127.0.0.1")
    assert spec.labels["cs.organization"] == "o1" and spec.labels["cs.container"] == created.id
    assert spec.volumes[0].name == "cs-o1-data"
    assert world.provisioner.converge("o1", created.id, 1) == list(first.engine_ids)
    assert len(engine.containers) == 1


def test_a_missing_image_fails_and_compensation_leaves_nothing_behind() -> None:
    world = World()
    created = world.service.create(ANN, request(image="missing:1"))
    with pytest.raises(ImageNotFound) as caught:
        world.provisioner.converge("o1", created.id, 1)
    world.provisioner.fail("o1", created.id, 1, caught.value.message)
    record = world.containers.get("o1", created.id)
    assert record.status == "error" and "missing:1" in (record.status_reason or "")
    assert world.engines["h1"].containers == {}


def test_a_superseded_run_does_nothing() -> None:
    world = World()
    created = world.service.create(ANN, request())
    assert world.provisioner.converge("o1", created.id, generation=7) is None
    assert world.engines["h1"].containers == {}


def test_another_organizations_container_is_not_found() -> None:
    world = World()
    created = world.service.create(ANN, request())
    for call in (world.service.get, world.service.stop, world.service.start):
        with pytest.raises(NotFound):
            call(BOB, created.id)


def test_stop_and_start_act_on_the_engine_and_the_record() -> None:
    world = World()
    created = world.service.create(ANN, request())
    world.provision("o1", created.id)
    assert world.service.stop(ANN, created.id).status == "stopped"
    engine_id = world.containers.get("o1", created.id).engine_ids[0]
    assert world.engines["h1"].containers[engine_id].status == "exited"
    assert world.service.start(ANN, created.id).status == "running"
    assert world.engines["h1"].containers[engine_id].status == "running"


def test_actions_while_provisioning_are_a_conflict() -> None:
    world = World()
    created = world.service.create(ANN, request())
    with pytest.raises(Conflict, match="still being provisioned"):
        world.service.stop(ANN, created.id)


def test_scaling_out_with_a_fixed_host_port_is_refused() -> None:
    world = World()
    created = world.service.create(ANN, request())
    world.provision("o1", created.id)
    with pytest.raises(ValidationFailed, match="one replica"):
        world.service.scale(ANN, created.id, 3, None)


def test_scaling_replicas_redeploys_and_resources_apply_in_place() -> None:
    world = World()
    created = world.service.create(ANN, request(host_port=None))
    world.provision("o1", created.id)
    scaled = world.service.scale(ANN, created.id, 3, Resources(250, 32 * MI))
    assert scaled.status == "provisioning" and scaled.replicas == 3
    assert world.hosts.get("h1").allocated.cpu_millis == 750
    world.provision("o1", created.id)
    record = world.containers.get("o1", created.id)
    assert len(record.engine_ids) == 3 and len(world.engines["h1"].containers) == 3
    in_place = world.service.scale(ANN, created.id, None, Resources(1000, 128 * MI))
    assert in_place.status == "running"
    assert {c.memory_bytes for c in world.engines["h1"].containers.values()} == {128 * MI}


def test_growing_beyond_the_host_is_no_capacity() -> None:
    world = World(host("h1", cpus=1))
    created = world.service.create(ANN, request(host_port=None))
    world.provision("o1", created.id)
    with pytest.raises(NoCapacity):
        world.service.scale(ANN, created.id, None, Resources(2000, 64 * MI))


def test_delete_removes_engine_containers_volumes_and_releases_capacity() -> None:
    world = World()
    created = world.service.create(ANN, request())
    world.provision("o1", created.id)
    world.service.delete(ANN, created.id, purge_volumes=True)
    assert world.engines["h1"].containers == {}
    assert "remove-volume cs-o1-data" in world.engines["h1"].calls
    assert world.hosts.get("h1").allocated.cpu_millis == 0
    with pytest.raises(NotFound):
        world.service.get(ANN, created.id)


def test_reconcile_reports_a_dead_container_with_its_exit_code_and_removes_orphans() -> None:
    world = World()
    created = world.service.create(ANN, request())
    world.provision("o1", created.id)
    engine = world.engines["h1"]
    engine.die(world.containers.get("o1", created.id).engine_ids[0], 137)
    orphan = world.service.create(ANN, request(host_port=None, name="orphan"))
    world.provision("o1", orphan.id)
    del world.containers.items[("o1", orphan.id)]
    world.later(minutes=3)  # orphans younger than the grace period are left alone
    result = world.reconciler.reconcile_host(world.hosts.get("h1"))
    record = world.containers.get("o1", created.id)
    assert (record.status, record.exit_code) == ("error", 137)
    assert result == {"changed": 1, "orphans_removed": 1}
    assert len(engine.containers) == 1


def test_acting_on_a_container_that_vanished_from_the_engine_is_a_conflict_and_marks_it_error() -> None:
    world = World()
    created = world.service.create(ANN, request())
    world.provision("o1", created.id)
    world.engines["h1"].containers.clear()
    with pytest.raises(Conflict, match="disappeared"):
        world.service.restart(ANN, created.id)
    record = world.containers.get("o1", created.id)
    assert record.status == "error" and record.engine_ids == ()


def test_a_record_stuck_in_provisioning_is_marked_error_by_the_reconciler() -> None:
    world = World()
    created = world.service.create(ANN, request())
    world.later(hours=1)
    world.reconciler.reconcile_host(world.hosts.get("h1"))
    record = world.containers.get("o1", created.id)
    assert record.status == "error" and "did not finish" in (record.status_reason or "")


def test_a_workflow_that_cannot_start_leaves_the_record_in_error() -> None:
    class Broken(FakeWorkflows):
        def start(self, name: str, execution_name: str, payload: Mapping[str, object]) -> str:
            raise ServiceUnavailable("down")

    world = World()
    world.service = ContainerService(world.containers, world.hosts, world.engine_for, Broken())
    with pytest.raises(ServiceUnavailable):
        world.service.create(ANN, request())
    [record] = world.containers.items.values()
    assert record.status == "error" and "could not be started" in (record.status_reason or "")


def test_a_second_container_with_the_same_name_is_a_conflict_naming_the_field() -> None:
    world = World()
    world.service.create(ANN, request(host_port=None))
    with pytest.raises(Conflict) as caught:
        world.service.create(ANN, request(host_port=None, name="WEB"))
    assert caught.value.details == {"field": "name"}
    assert world.hosts.get("h1").allocated.cpu_millis == 500, "a refused create claims nothing"
    assert world.service.create(BOB, request(host_port=None)).name == "web", "names are per organization"


def test_renaming_frees_the_old_name_and_refuses_a_taken_one() -> None:
    world = World()
    first = world.service.create(ANN, request(host_port=None))
    world.service.create(ANN, request(host_port=None, name="db"))
    with pytest.raises(Conflict):
        world.service.update(ANN, first.id, ContainerChanges(name="db"))
    renamed = world.service.update(ANN, first.id, ContainerChanges(name="site"))
    assert renamed.name == "site" and renamed.generation == first.generation
    assert world.service.create(ANN, request(host_port=None)).name == "web"


def test_a_delete_with_a_stale_read_releases_nothing() -> None:
    world = World()
    created = world.service.create(ANN, request(host_port=None))
    world.provision("o1", created.id)
    stale = world.containers.get("o1", created.id)
    world.service.stop(ANN, created.id)
    with pytest.raises(Conflict):
        world.containers.delete_and_release(stale)
    assert world.hosts.get("h1").allocated.cpu_millis == 500
    world.service.delete(ANN, created.id, purge_volumes=False)
    assert world.hosts.get("h1").allocated == Allocation(0, 0)


def test_out_of_range_resources_are_refused_by_the_domain() -> None:
    world = World()
    with pytest.raises(ValidationFailed) as caught:
        world.service.create(ANN, request(memory=MI))
    assert caught.value.details == {"field": "resources.memory"}
    with pytest.raises(ValidationFailed):
        world.service.create(ANN, request(cpu=5))
