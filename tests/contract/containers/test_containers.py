"""The Containers port, run against ContainerRepository on moto and against FakeContainers (with FakeHosts).

Each test checks what changed and also what did not: a refused write leaves the record, the name
reservation and the host's allocation exactly as they were.
"""

from __future__ import annotations

import pytest

from chalicelib.domain.hosts.entities import Allocation
from chalicelib.domain.hosts.ports import CapacityExhausted
from chalicelib.domain.shared.errors import Conflict, NotFound, ValidationFailed
from tests.contract.builders import MI, changed, container, new_id
from tests.contract.conftest import PlacementStores


def test_a_created_container_reads_back_and_holds_its_footprint_on_the_host(
    placement: PlacementStores,
) -> None:
    # Given a host
    engine = placement.add_host()
    # When a two-replica container is created on it
    web = placement.create(container(new_id(), engine.id, replicas=2, cpu_millis=250, memory_bytes=64 * MI))
    # Then it reads back as written, and the host holds both replicas
    assert placement.containers.get(web.organization_id, web.id) == web
    assert placement.containers.get(web.organization_id, web.id, consistent=True) == web
    assert placement.allocated(engine) == Allocation(500, 128 * MI)


def test_another_organizations_container_is_not_found(placement: PlacementStores) -> None:
    engine = placement.add_host()
    web = placement.create(container(new_id(), engine.id))
    with pytest.raises(NotFound):
        placement.containers.get(new_id(), web.id)
    with pytest.raises(NotFound):
        placement.containers.get(web.organization_id, new_id(), consistent=True)


def test_a_full_host_refuses_the_container_and_nothing_changes(placement: PlacementStores) -> None:
    # Given a host with 300m of 1000m free
    engine = placement.add_host(cpu_millis=1000, allocated=Allocation(700, 0))
    org = new_id()
    # When a 500m container is placed there
    with pytest.raises(CapacityExhausted):
        placement.create(container(org, engine.id, name="web", cpu_millis=500))
    # Then the host, the organization's list and the name are as before
    assert placement.allocated(engine) == Allocation(700, 0)
    assert placement.containers.page(org, 10, None).items == []
    roomy = placement.add_host()
    placement.create(container(org, roomy.id, name="web"))


def test_a_container_that_exactly_fills_the_host_fits(placement: PlacementStores) -> None:
    engine = placement.add_host(cpu_millis=1000, memory_bytes=512 * MI, allocated=Allocation(500, 256 * MI))
    placement.create(container(new_id(), engine.id, cpu_millis=500, memory_bytes=256 * MI))
    assert placement.allocated(engine) == Allocation(1000, 512 * MI)


def test_a_draining_host_refuses_new_containers(placement: PlacementStores) -> None:
    engine = placement.add_host(status="draining")
    org = new_id()
    with pytest.raises(CapacityExhausted):
        placement.create(container(org, engine.id))
    assert placement.allocated(engine) == Allocation(0, 0)
    assert placement.containers.page(org, 10, None).items == []


def test_a_missing_host_refuses_new_containers(placement: PlacementStores) -> None:
    org = new_id()
    web = container(org, new_id())
    with pytest.raises(CapacityExhausted):
        placement.containers.create_on_host(web, Allocation(4000, 8 * 2**30))
    assert placement.containers.page(org, 10, None).items == []


def test_a_name_taken_in_the_organization_is_a_conflict_whatever_its_case(placement: PlacementStores) -> None:
    # Given "web" in Ann's organization
    engine = placement.add_host()
    org = new_id()
    first = placement.create(container(org, engine.id, name="web"))
    # When another container is called "WEB" there
    with pytest.raises(Conflict) as raised:
        placement.create(container(org, engine.id, name="WEB"))
    # Then the error names the field, and only the first holds capacity or is listed
    assert raised.value.details == {"field": "name"}
    assert placement.allocated(engine) == first.footprint()
    assert placement.containers.page(org, 10, None).items == [first]


def test_a_taken_name_is_reported_even_when_the_host_is_full(placement: PlacementStores) -> None:
    engine = placement.add_host(cpu_millis=1000)
    org = new_id()
    placement.create(container(org, engine.id, name="web", cpu_millis=1000))
    with pytest.raises(Conflict) as raised:
        placement.create(container(org, engine.id, name="web", cpu_millis=500))
    assert raised.value.details == {"field": "name"}


def test_the_same_name_in_two_organizations_is_fine(placement: PlacementStores) -> None:
    engine = placement.add_host()
    ann = placement.create(container(new_id(), engine.id, name="web"))
    bob = placement.create(container(new_id(), engine.id, name="web"))
    assert placement.containers.get(bob.organization_id, bob.id) == bob
    assert placement.allocated(engine) == ann.footprint() + bob.footprint()


def test_saving_at_the_expected_version_overwrites_the_record(placement: PlacementStores) -> None:
    # Given a provisioning container
    engine = placement.add_host()
    web = placement.create(container(new_id(), engine.id))
    # When it is saved running at the version read
    running = changed(web, status="running", engine_ids=("e1",), exit_code=None, status_reason=None)
    placement.containers.update(web, running)
    # Then the new record is stored
    assert placement.containers.get(web.organization_id, web.id) == running


def test_saving_at_a_stale_version_is_a_conflict_and_changes_nothing(placement: PlacementStores) -> None:
    # Given a container someone already changed (version 2)
    engine = placement.add_host()
    web = placement.create(container(new_id(), engine.id))
    second = changed(web, status="running")
    placement.containers.update(web, second)
    # When a writer that read version 1 saves
    with pytest.raises(Conflict):
        placement.containers.update(web, changed(web, status="error", status_reason="late"))
    # Then the record is still the second writer's
    assert placement.containers.get(web.organization_id, web.id) == second


def test_saving_a_deleted_container_is_a_conflict_and_does_not_recreate_it(
    placement: PlacementStores,
) -> None:
    engine = placement.add_host()
    web = placement.create(container(new_id(), engine.id))
    placement.containers.delete_and_release(web)
    with pytest.raises(Conflict):
        placement.containers.update(web, changed(web, status="running"))
    with pytest.raises(NotFound):
        placement.containers.get(web.organization_id, web.id)


def test_renaming_moves_the_name_reservation(placement: PlacementStores) -> None:
    # Given "web"
    engine = placement.add_host()
    org = new_id()
    web = placement.create(container(org, engine.id, name="web"))
    # When it is renamed "api"
    api = changed(web, name="api")
    placement.containers.update(web, api)
    # Then "web" is free again and "api" is taken
    assert placement.containers.get(org, web.id).name == "api"
    placement.create(container(org, engine.id, name="web"))
    with pytest.raises(Conflict):
        placement.create(container(org, engine.id, name="API"))


def test_renaming_to_a_taken_name_is_a_conflict_and_changes_nothing(placement: PlacementStores) -> None:
    # Given "web" and "api"
    engine = placement.add_host()
    org = new_id()
    web = placement.create(container(org, engine.id, name="web"))
    placement.create(container(org, engine.id, name="api"))
    # When "web" is renamed "Api"
    with pytest.raises(Conflict) as raised:
        placement.containers.update(web, changed(web, name="Api"))
    # Then the field is named, the record is unchanged and "web" is still reserved
    assert raised.value.details == {"field": "name"}
    assert placement.containers.get(org, web.id) == web
    with pytest.raises(Conflict):
        placement.create(container(org, engine.id, name="web"))


def test_renaming_at_a_stale_version_moves_no_name(placement: PlacementStores) -> None:
    # Given "web", changed by someone else meanwhile
    engine = placement.add_host()
    org = new_id()
    web = placement.create(container(org, engine.id, name="web"))
    placement.containers.update(web, changed(web, status="running"))
    # When a stale writer renames it
    with pytest.raises(Conflict):
        placement.containers.update(web, changed(web, name="api"))
    # Then "web" is still taken and "api" still free
    with pytest.raises(Conflict):
        placement.create(container(org, engine.id, name="web"))
    placement.create(container(org, engine.id, name="api"))


def test_changing_only_the_case_of_the_name_keeps_it_reserved(placement: PlacementStores) -> None:
    engine = placement.add_host()
    org = new_id()
    web = placement.create(container(org, engine.id, name="web"))
    placement.containers.update(web, changed(web, name="Web"))
    assert placement.containers.get(org, web.id).name == "Web"
    with pytest.raises(Conflict):
        placement.create(container(org, engine.id, name="WEB"))


def test_growing_moves_the_allocation_by_the_difference(placement: PlacementStores) -> None:
    # Given a 500m / 256Mi container on a host
    engine = placement.add_host()
    web = placement.create(container(new_id(), engine.id, cpu_millis=500, memory_bytes=256 * MI))
    # When it grows to three replicas
    bigger = changed(web, replicas=3, generation=web.generation + 1)
    delta = bigger.footprint() - web.footprint()
    placement.containers.update(web, bigger, limit=engine.claim_limit(delta))
    # Then the host holds three replicas and the record says three
    assert placement.allocated(engine) == Allocation(1500, 768 * MI)
    assert placement.containers.get(web.organization_id, web.id) == bigger


def test_growing_beyond_the_host_is_refused_and_changes_nothing(placement: PlacementStores) -> None:
    # Given a 600m container alone on a 1000m host
    engine = placement.add_host(cpu_millis=1000)
    web = placement.create(container(new_id(), engine.id, cpu_millis=600))
    # When it asks for a second replica
    bigger = changed(web, replicas=2)
    delta = bigger.footprint() - web.footprint()
    with pytest.raises(CapacityExhausted):
        placement.containers.update(web, bigger, limit=engine.claim_limit(delta))
    # Then neither the host nor the record moved
    assert placement.allocated(engine) == web.footprint()
    assert placement.containers.get(web.organization_id, web.id) == web


def test_a_draining_host_refuses_growth_but_allows_shrinking(placement: PlacementStores) -> None:
    # Given a two-replica container on a host that is then drained
    engine = placement.add_host()
    web = placement.create(container(new_id(), engine.id, replicas=2))
    placement.hosts.set_status(engine.id, "draining", web.created_at)
    # When it grows, then shrinks
    bigger = changed(web, replicas=3)
    grow = bigger.footprint() - web.footprint()
    with pytest.raises(CapacityExhausted):
        placement.containers.update(web, bigger, limit=engine.claim_limit(grow))
    smaller = changed(web, replicas=1)
    shrink = smaller.footprint() - web.footprint()
    placement.containers.update(web, smaller, limit=engine.claim_limit(shrink))
    # Then only the shrink happened
    assert placement.allocated(engine) == smaller.footprint()
    assert placement.containers.get(web.organization_id, web.id) == smaller


def test_resizing_from_a_stale_version_is_a_conflict_and_changes_nothing(placement: PlacementStores) -> None:
    # Given a container changed by someone else after it was read
    engine = placement.add_host()
    web = placement.create(container(new_id(), engine.id))
    current = changed(web, status="running")
    placement.containers.update(web, current)
    # When the stale reader resizes it
    bigger = changed(web, replicas=2)
    delta = bigger.footprint() - web.footprint()
    with pytest.raises(Conflict):
        placement.containers.update(web, bigger, limit=engine.claim_limit(delta))
    # Then the host and the record are as the other writer left them
    assert placement.allocated(engine) == web.footprint()
    assert placement.containers.get(web.organization_id, web.id) == current


def test_deleting_releases_the_record_the_name_and_the_capacity(placement: PlacementStores) -> None:
    # Given two containers on a host, one of them with two replicas
    engine = placement.add_host()
    org = new_id()
    kept = placement.create(container(org, engine.id, name="kept"))
    web = placement.create(container(org, engine.id, name="web", replicas=2))
    # When the two-replica one is deleted
    placement.containers.delete_and_release(web)
    # Then it is gone, the host holds only the other, and the name can be used again
    with pytest.raises(NotFound):
        placement.containers.get(org, web.id)
    assert placement.allocated(engine) == kept.footprint()
    assert placement.containers.page(org, 10, None).items == [kept]
    placement.create(container(org, engine.id, name="web"))


def test_deleting_from_a_stale_version_is_a_conflict_and_releases_nothing(placement: PlacementStores) -> None:
    # Given a container changed after it was read
    engine = placement.add_host()
    org = new_id()
    web = placement.create(container(org, engine.id, name="web"))
    current = changed(web, status="running")
    placement.containers.update(web, current)
    # When the stale reader deletes it
    with pytest.raises(Conflict):
        placement.containers.delete_and_release(web)
    # Then the record, its capacity and its name are all still held
    assert placement.containers.get(org, web.id) == current
    assert placement.allocated(engine) == web.footprint()
    with pytest.raises(Conflict):
        placement.create(container(org, engine.id, name="web"))


def test_deleting_twice_is_a_conflict_the_second_time(placement: PlacementStores) -> None:
    engine = placement.add_host()
    web = placement.create(container(new_id(), engine.id))
    placement.containers.delete_and_release(web)
    with pytest.raises(Conflict):
        placement.containers.delete_and_release(web)
    assert placement.allocated(engine) == Allocation(0, 0)


def test_pages_come_newest_first_and_the_cursor_continues_the_list(placement: PlacementStores) -> None:
    # Given three containers in Ann's organization (and one in Bob's)
    engine = placement.add_host()
    org = new_id()
    oldest, middle, newest = (placement.create(container(org, engine.id, name=n)) for n in ("a", "b", "c"))
    placement.create(container(new_id(), engine.id, name="d"))
    # When Ann lists two at a time
    first = placement.containers.page(org, 2, None)
    assert first.next_cursor is not None
    second = placement.containers.page(org, 2, first.next_cursor)
    # Then she sees her three, newest first, and the list ends
    assert first.items == [newest, middle]
    assert second.items == [oldest]
    assert second.next_cursor is None


def test_an_organization_without_containers_has_an_empty_last_page(placement: PlacementStores) -> None:
    page = placement.containers.page(new_id(), 10, None)
    assert page.items == []
    assert page.next_cursor is None


def test_a_page_that_ends_with_the_list_leads_at_most_to_an_empty_page(placement: PlacementStores) -> None:
    engine = placement.add_host()
    org = new_id()
    made = [placement.create(container(org, engine.id, name=n)) for n in ("a", "b")]
    page = placement.containers.page(org, 2, None)
    assert page.items == made[::-1]
    if page.next_cursor is not None:  # DynamoDB may not know yet that nothing follows
        after = placement.containers.page(org, 2, page.next_cursor)
        assert (after.items, after.next_cursor) == ([], None)


def test_a_container_created_between_pages_does_not_shift_the_next_page(placement: PlacementStores) -> None:
    # Given three containers, of which Ann read the first page of two
    engine = placement.add_host()
    org = new_id()
    oldest, _, _ = (placement.create(container(org, engine.id, name=n)) for n in ("a", "b", "c"))
    first = placement.containers.page(org, 2, None)
    # When a new one is created before she asks for the next page
    placement.create(container(org, engine.id, name="d"))
    second = placement.containers.page(org, 2, first.next_cursor)
    # Then the next page continues where the first ended
    assert second.items == [oldest]


@pytest.mark.parametrize("cursor", ["not-a-cursor", "2", "eyJwayI6IHsiUyI6ICJPUkcjeCJ9fQ"])
def test_a_cursor_not_made_by_the_store_is_a_validation_error(
    placement: PlacementStores, cursor: str
) -> None:
    with pytest.raises(ValidationFailed) as raised:
        placement.containers.page(new_id(), 2, cursor)
    assert raised.value.details == {"field": "cursor"}


def test_another_organizations_cursor_is_a_validation_error(placement: PlacementStores) -> None:
    # Given a cursor from Ann's list
    engine = placement.add_host()
    ann = new_id()
    for name in ("a", "b", "c"):
        placement.create(container(ann, engine.id, name=name))
    cursor = placement.containers.page(ann, 1, None).next_cursor
    assert cursor is not None
    # When Bob sends it
    with pytest.raises(ValidationFailed) as raised:
        placement.containers.page(new_id(), 1, cursor)
    # Then it is refused
    assert raised.value.details == {"field": "cursor"}


def test_on_host_lists_every_organizations_containers_on_that_host_only(placement: PlacementStores) -> None:
    # Given containers of two organizations on one host, and one on another host
    here, there = placement.add_host(), placement.add_host()
    ann, bob = new_id(), new_id()
    mine = [
        placement.create(container(ann, here.id, name="web")),
        placement.create(container(bob, here.id, name="web")),
        placement.create(container(ann, here.id, name="api")),
    ]
    placement.create(container(ann, there.id, name="elsewhere"))
    # When the containers on the first host are listed
    listed = list(placement.containers.on_host(here.id))
    # Then exactly those three come back
    assert sorted(listed, key=lambda c: c.id) == sorted(mine, key=lambda c: c.id)
    assert list(placement.containers.on_host(new_id())) == []


def test_on_host_sees_the_latest_version_and_forgets_deleted_containers(placement: PlacementStores) -> None:
    engine = placement.add_host()
    org = new_id()
    web = placement.create(container(org, engine.id, name="web"))
    gone = placement.create(container(org, engine.id, name="gone"))
    running = changed(web, status="running")
    placement.containers.update(web, running)
    placement.containers.delete_and_release(gone)
    assert list(placement.containers.on_host(engine.id)) == [running]
