"""The Hosts port, run against HostRepository on moto and against FakeHosts."""

from __future__ import annotations

from dataclasses import replace

import pytest

from chalicelib.domain.hosts.entities import Allocation
from chalicelib.domain.shared.errors import Conflict, NotFound
from tests.contract.builders import GI, container, host, later, new_id, tls
from tests.contract.conftest import PlacementStores


def test_an_added_host_reads_back_as_written(placement: PlacementStores) -> None:
    # Given a host with some capacity already allocated
    engine = host(cpu_millis=2000, memory_bytes=4 * GI, allocated=Allocation(500, GI))
    # When it is added
    placement.hosts.add(engine, None)
    # Then it reads back as written, alone or in the list
    assert placement.hosts.get(engine.id) == engine
    assert placement.hosts.list_all() == [engine]


def test_every_added_host_is_listed(placement: PlacementStores) -> None:
    engines = [host(name=f"engine-{n}") for n in range(3)]
    for engine in engines:
        placement.hosts.add(engine, None)
    listed = placement.hosts.list_all()
    assert sorted(listed, key=lambda h: h.id) == sorted(engines, key=lambda h: h.id)


def test_no_hosts_are_listed_before_any_is_added(placement: PlacementStores) -> None:
    assert placement.hosts.list_all() == []


def test_a_missing_host_is_not_found(placement: PlacementStores) -> None:
    with pytest.raises(NotFound):
        placement.hosts.get(new_id())
    with pytest.raises(NotFound):
        placement.hosts.get_tls(new_id())


def test_the_tls_material_is_stored_with_the_host(placement: PlacementStores) -> None:
    # Given a TCP host added with its TLS material
    engine = replace(host(has_tls=True), url="tcp://127.0.0.1:2376")
    placement.hosts.add(engine, tls())
    # Then the material reads back and the host says it has TLS
    assert placement.hosts.get_tls(engine.id) == tls()
    assert placement.hosts.get(engine.id).has_tls


def test_a_host_without_tls_has_no_material(placement: PlacementStores) -> None:
    engine = host(has_tls=False)
    placement.hosts.add(engine, None)
    assert placement.hosts.get_tls(engine.id) is None
    assert not placement.hosts.get(engine.id).has_tls


def test_whether_a_host_has_tls_follows_the_stored_material(placement: PlacementStores) -> None:
    # Given a host record that does not claim TLS, stored with TLS material
    engine = host(has_tls=False)
    placement.hosts.add(engine, tls())
    # Then the stored material decides
    assert placement.hosts.get(engine.id).has_tls


def test_draining_a_host_is_stored_and_returned(placement: PlacementStores) -> None:
    # Given an active host
    engine = host()
    placement.hosts.add(engine, None)
    # When it is set draining
    drained = placement.hosts.set_status(engine.id, "draining", later())
    # Then the returned and the stored host are draining, nothing else changed
    assert drained == replace(engine, status="draining")
    assert placement.hosts.get(engine.id) == drained


def test_a_draining_host_can_be_made_active_again(placement: PlacementStores) -> None:
    engine = host(status="draining")
    placement.hosts.add(engine, None)
    assert placement.hosts.set_status(engine.id, "active", later()).status == "active"
    assert placement.hosts.get(engine.id).status == "active"


def test_setting_the_status_of_a_missing_host_is_not_found_and_creates_nothing(
    placement: PlacementStores,
) -> None:
    ghost = new_id()
    with pytest.raises(NotFound):
        placement.hosts.set_status(ghost, "draining", later())
    assert placement.hosts.list_all() == []


def test_an_empty_host_can_be_removed(placement: PlacementStores) -> None:
    # Given two hosts
    gone, kept = host(), host()
    placement.hosts.add(gone, tls())
    placement.hosts.add(kept, None)
    # When one is removed
    placement.hosts.remove(gone.id)
    # Then it is gone and the other remains
    with pytest.raises(NotFound):
        placement.hosts.get(gone.id)
    with pytest.raises(NotFound):
        placement.hosts.get_tls(gone.id)
    assert placement.hosts.list_all() == [kept]


def test_removing_a_missing_host_is_not_found(placement: PlacementStores) -> None:
    with pytest.raises(NotFound):
        placement.hosts.remove(new_id())


def test_a_host_holding_a_container_cannot_be_removed(placement: PlacementStores) -> None:
    # Given a host with one container on it
    engine = host()
    placement.hosts.add(engine, None)
    web = placement.create(container(new_id(), engine.id))
    # When it is removed
    with pytest.raises(Conflict):
        placement.hosts.remove(engine.id)
    # Then it is still there, with its allocation
    assert placement.hosts.get(engine.id).allocated == web.footprint()


def test_a_host_can_be_removed_once_its_containers_are_deleted(placement: PlacementStores) -> None:
    # Given a host whose only container was deleted
    engine = host()
    placement.hosts.add(engine, None)
    web = placement.create(container(new_id(), engine.id))
    placement.containers.delete_and_release(web)
    # When it is removed
    placement.hosts.remove(engine.id)
    # Then it is gone
    assert placement.hosts.list_all() == []
