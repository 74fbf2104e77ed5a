"""Per-organization networks, out-of-memory reasons and metrics of several replicas, with a fake engine."""

from __future__ import annotations

import pytest

from chalicelib.domain.containers.entities import ContainerChanges, Resources
from chalicelib.domain.shared.errors import ImageNotFound
from tests.unit.containers.world import ANN, BOB, MI, World, request


def test_each_organization_gets_its_own_network_and_replicas_answer_to_the_container_name() -> None:
    # Given
    world = World()
    ann = world.service.create(ANN, request(host_port=None))
    bob = world.service.create(BOB, request(host_port=None))
    # When
    world.provision("o1", ann.id)
    world.provision("o2", bob.id)
    # Then
    engine = world.engines["h1"]
    assert engine.networks == {
        "cs-net-o1": {"cs.managed-by": "containerstacks", "cs.organization": "o1"},
        "cs-net-o2": {"cs.managed-by": "containerstacks", "cs.organization": "o2"},
    }
    specs = {spec.labels["cs.organization"]: spec for spec in engine.specs.values()}
    assert (specs["o1"].network, specs["o1"].network_alias) == ("cs-net-o1", "web")
    assert (specs["o2"].network, specs["o2"].network_alias) == ("cs-net-o2", "web")


def test_the_network_goes_with_the_organizations_last_container_on_the_host() -> None:
    # Given: two containers of one organization, one of them stopped
    world = World()
    web = world.service.create(ANN, request(host_port=None))
    db = world.service.create(ANN, request(host_port=None, name="db"))
    world.provision("o1", web.id)
    world.provision("o1", db.id)
    world.service.stop(ANN, db.id)
    engine = world.engines["h1"]
    # When
    world.service.delete(ANN, web.id, purge_volumes=False)
    # Then: the stopped one still needs it
    assert "cs-net-o1" in engine.networks
    # When
    world.service.delete(ANN, db.id, purge_volumes=False)
    # Then
    assert engine.networks == {} and "remove-network cs-net-o1" in engine.calls


def test_compensation_removes_the_network_it_created() -> None:
    # Given
    world = World()
    created = world.service.create(ANN, request(image="missing:1"))
    with pytest.raises(ImageNotFound):
        world.provisioner.converge("o1", created.id, 1)
    assert "cs-net-o1" in world.engines["h1"].networks
    # When
    world.provisioner.fail("o1", created.id, 1, "Image 'missing:1' is not available")
    # Then
    assert world.engines["h1"].networks == {}


def test_removing_an_orphan_removes_its_organizations_network() -> None:
    # Given
    world = World()
    orphan = world.service.create(ANN, request(host_port=None))
    world.provision("o1", orphan.id)
    del world.containers.items[("o1", orphan.id)]
    world.later(minutes=5)  # past the reconciler's grace period
    # When
    world.reconciler.reconcile_host(world.hosts.get("h1"))
    # Then
    assert world.engines["h1"].containers == {} and world.engines["h1"].networks == {}


def test_an_out_of_memory_kill_says_so_with_the_limit() -> None:
    # Given
    world = World()
    created = world.service.create(ANN, request(memory=32 * MI))
    world.provision("o1", created.id)
    world.engines["h1"].die(world.containers.get("o1", created.id).engine_ids[0], 137, oom_killed=True)
    # When
    world.reconciler.reconcile_host(world.hosts.get("h1"))
    # Then
    record = world.containers.get("o1", created.id)
    assert (record.status, record.exit_code) == ("error", 137)
    assert record.status_reason == "The container ran out of memory (limit 32Mi) and was killed."


def test_after_a_rename_the_next_rollout_recreates_every_replica_under_the_new_name() -> None:
    # Given
    world = World()
    created = world.service.create(ANN, request(host_port=None))
    world.provision("o1", created.id)
    world.service.update(ANN, created.id, ContainerChanges(name="site"))
    # When
    world.service.scale(ANN, created.id, 2, None)
    world.provision("o1", created.id)
    # Then
    engine = world.engines["h1"]
    assert [engine.specs[i].network_alias for i in world.containers.get("o1", created.id).engine_ids] == [
        "site",
        "site",
    ]
    assert len(engine.containers) == 2


def test_metrics_cover_every_replica_in_order_and_add_up() -> None:
    # Given
    world = World()
    created = world.service.create(ANN, request(host_port=None))
    world.provision("o1", created.id)
    world.service.scale(ANN, created.id, 3, Resources(500, 64 * MI))
    world.provision("o1", created.id)
    # When
    metrics = world.service.metrics(ANN, created.id)
    # Then
    assert [replica for replica, _ in metrics.replicas] == [0, 1, 2]
    assert metrics.total.memory_limit_bytes == 3 * 64 * MI and metrics.total.cpu_percent == 4.5
