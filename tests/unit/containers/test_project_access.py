"""A member limited to projects sees and acts on the containers of those projects only (others: 404)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from chalicelib.domain.containers.entities import NO_PROJECT, ContainerChanges
from chalicelib.domain.shared.errors import NotFound, PermissionDenied
from tests.unit.containers.world import ANN, World, request

WEB, API = "01JWEB0000000000000000000A", "01JAPI0000000000000000000A"
DEV = replace(ANN, user_id="u3", organization_role="developer", project_ids=frozenset({WEB}))


def test_a_limited_member_lists_and_reaches_only_their_projects_containers() -> None:
    # Given containers in two projects and one in none, made by the owner
    world = World()
    in_web = world.service.create(ANN, replace(request(name="site"), project_id=WEB))
    in_api = world.service.create(ANN, replace(request(name="api", host_port=None), project_id=API))
    loose = world.service.create(ANN, request(name="loose", host_port=None))
    # When a developer limited to the web project lists and opens them
    listed = [c.id for c in world.service.page(DEV, 20, None).items]
    # Then only the web project's container is there; the others are not found
    assert listed == [in_web.id]
    assert world.service.get(DEV, in_web.id).project_id == WEB
    for hidden in (in_api, loose):
        with pytest.raises(NotFound):
            world.service.get(DEV, hidden.id)
        with pytest.raises(NotFound):
            world.service.stop(DEV, hidden.id)
        with pytest.raises(NotFound):
            world.service.delete(DEV, hidden.id, purge_volumes=False)
    # while the owner sees all three
    assert len(world.service.page(ANN, 20, None).items) == 3


def test_a_limited_member_deploys_into_their_projects_only() -> None:
    world = World()
    with pytest.raises(PermissionDenied) as refused:
        world.service.create(DEV, request())
    assert refused.value.details == {"field": "project_id"}
    with pytest.raises(PermissionDenied):
        world.service.create(DEV, replace(request(), project_id=API))
    created = world.service.create(DEV, replace(request(), project_id=WEB))
    assert created.project_id == WEB


def test_a_container_moves_between_projects_and_out_of_them() -> None:
    world = World()
    created = world.service.create(ANN, replace(request(), project_id=WEB))
    moved = world.service.update(ANN, created.id, ContainerChanges(project_id=API))
    assert moved.project_id == API and world.record(created.id).project_id == API
    out = world.service.update(ANN, created.id, ContainerChanges(project_id=NO_PROJECT))
    assert out.project_id is None
    kept = world.service.update(ANN, created.id, ContainerChanges(name="renamed"))
    assert kept.project_id is None and kept.name == "renamed"


def test_a_limited_member_cannot_move_a_container_out_of_their_projects() -> None:
    world = World()
    created = world.service.create(ANN, replace(request(), project_id=WEB))
    with pytest.raises(PermissionDenied):
        world.service.update(DEV, created.id, ContainerChanges(project_id=API))
    with pytest.raises(PermissionDenied):
        world.service.update(DEV, created.id, ContainerChanges(project_id=NO_PROJECT))
    assert world.record(created.id).project_id == WEB
