"""The reconciler removes engine containers only when a consistent read confirms no record wants them and
they are older than the grace period; engine-side names never reach customers (fake engine and store)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from chalicelib.domain.containers.entities import ContainerChanges
from chalicelib.domain.containers.naming import engine_config_hash, for_customer
from chalicelib.domain.hosts.engine import VolumeMount
from chalicelib.domain.hosts.entities import Allocation
from chalicelib.domain.shared.errors import Conflict
from tests.unit.containers.world import ANN, World, request


def test_an_engine_container_whose_record_the_index_does_not_show_yet_is_left_alone() -> None:
    world = World()
    created = world.service.create(ANN, request())
    world.provision("o1", created.id)
    world.containers.unindexed.add(created.id)  # the GSI has not caught up with this record
    world.later(minutes=10)
    result = world.reconciler.reconcile_host(world.hosts.get("h1"))
    assert result["orphans_removed"] == 0
    assert list(world.engines["h1"].containers) == list(world.record(created.id).engine_ids)


def test_an_orphan_is_removed_only_once_it_is_older_than_the_grace_period() -> None:
    world = World()
    created = world.service.create(ANN, request())
    world.provision("o1", created.id)
    world.containers.delete_and_release(world.record(created.id))  # the engine container has no record
    world.later(minutes=1)
    assert world.reconciler.reconcile_host(world.hosts.get("h1"))["orphans_removed"] == 0
    assert len(world.engines["h1"].containers) == 1
    world.later(minutes=2)
    assert world.reconciler.reconcile_host(world.hosts.get("h1"))["orphans_removed"] == 1
    assert world.engines["h1"].containers == {}


def test_replicas_a_settled_record_no_longer_lists_are_removed_after_the_grace_period() -> None:
    world = World()
    created = world.service.create(ANN, request(host_port=None))
    world.provision("o1", created.id)
    record = world.record(created.id)
    leftover = world.engines["h1"].create_and_start(
        replace(world.provisioner.spec(record, 0, "an-old-config"), name="left-behind-by-a-crashed-run")
    )
    world.later(minutes=3)
    assert world.reconciler.reconcile_host(world.hosts.get("h1"))["orphans_removed"] == 1
    assert list(world.engines["h1"].containers) == list(record.engine_ids)
    assert leftover.id not in world.engines["h1"].containers


def test_replicas_of_a_change_still_rolling_out_are_left_alone() -> None:
    world = World()
    created = world.service.create(ANN, request(host_port=None))
    world.provision("o1", created.id)
    world.service.update(ANN, created.id, ContainerChanges(environment={"B": "2"}))
    rolling = world.record(created.id)
    world.provisioner.converge("o1", created.id, rolling.generation)
    world.later(minutes=5)
    world.reconciler.reconcile_host(world.hosts.get("h1"))
    assert len(world.engines["h1"].containers) == 2
    assert engine_config_hash(rolling) in {
        c.labels["cs.config"] for c in world.engines["h1"].containers.values()
    }


def test_a_stuck_redeploy_goes_back_to_the_previous_version() -> None:
    world = World()
    created = world.service.create(ANN, request())
    world.provision("o1", created.id)
    world.service.update(ANN, created.id, ContainerChanges(image="web:2"))
    world.later(hours=1)
    world.reconciler.reconcile_host(world.hosts.get("h1"))
    record = world.record(created.id)
    assert (record.status, record.image) == ("running", "web:1")
    assert "did not finish" in (record.status_reason or "")


def test_a_stuck_first_deployment_ends_in_error_and_gives_its_capacity_back() -> None:
    world = World()
    created = world.service.create(ANN, request())
    world.later(hours=1)
    world.reconciler.reconcile_host(world.hosts.get("h1"))
    assert world.record(created.id).status == "error"
    assert world.allocated() == Allocation(0, 0)


def test_engine_ids_and_internal_names_are_kept_out_of_customer_messages() -> None:
    world = World()
    created = world.service.create(ANN, request())
    record = world.record(created.id)
    engine_id = "0123456789abcdef" * 4
    text = (
        f"remove cs-o1-data: volume is in use - [{engine_id}]; "
        f"name cs-{record.id}-g3-r1 is used by {engine_id[:12]}"
    )
    cleaned = for_customer(text, record)
    assert (
        cleaned
        == "remove data: volume is in use - [another container]; name replica 1 is used by another container"
    )


def test_a_missing_engine_container_is_a_conflict_without_its_engine_id() -> None:
    world = World()
    created = world.service.create(ANN, request())
    world.provision("o1", created.id)
    world.engines["h1"].containers.clear()
    with pytest.raises(Conflict) as caught:
        world.service.logs(ANN, created.id, 10, None)
    assert "disappeared" in caught.value.message
    assert world.record(created.id).engine_ids[0] not in str(caught.value.details)


def test_purging_a_volume_another_container_mounts_is_refused_and_removes_nothing() -> None:
    world = World()
    first = world.service.create(ANN, request(host_port=None))
    world.provision("o1", first.id)
    second = world.service.create(ANN, request(host_port=None, name="second"))
    world.provision("o1", second.id)
    before = dict(world.engines["h1"].containers)
    with pytest.raises(Conflict, match="also mounted by container 'second'") as caught:
        world.service.delete(ANN, first.id, purge_volumes=True)
    assert caught.value.details["volumes"] == ["data"]
    assert world.engines["h1"].containers == before and world.record(first.id).status == "running"
    assert not any(call.startswith("remove") for call in world.engines["h1"].calls)
    world.service.delete(ANN, second.id, purge_volumes=False)
    world.service.delete(ANN, first.id, purge_volumes=True)
    assert "remove-volume cs-o1-data" in world.engines["h1"].calls


def test_a_volume_of_the_same_name_elsewhere_does_not_block_a_purge() -> None:
    world = World()
    first = world.service.create(ANN, request(host_port=None))
    other = world.service.create(ANN, request(host_port=None, name="other"))
    world.containers.items[("o1", other.id)] = replace(
        world.record(other.id), volumes=(VolumeMount("logs", "/logs"),)
    )
    world.service.delete(ANN, first.id, purge_volumes=True)
    assert "remove-volume cs-o1-data" in world.engines["h1"].calls
