"""Projects: unique names, only empty ones deleted, members limited to projects see only theirs."""

from __future__ import annotations

import pytest

from chalicelib.domain.shared.errors import Conflict, NotFound
from tests.unit.teams.conftest import World


def test_project_names_are_unique_whatever_their_case(world: World) -> None:
    olivia = world.acting(world.olivia)
    world.projects.create(olivia, "Web", "the site")
    with pytest.raises(Conflict) as taken:
        world.projects.create(olivia, "web", "")
    assert taken.value.details == {"field": "name"}


def test_a_project_is_renamed_and_described(world: World) -> None:
    olivia = world.acting(world.olivia)
    web = world.projects.create(olivia, "web", "")
    renamed = world.projects.update(olivia, web.id, "site", "public pages")
    assert (renamed.name, renamed.description) == ("site", "public pages")
    assert world.projects.get(olivia, web.id).name == "site"
    assert world.audit.actions() == ["project.created", "project.updated"]


def test_a_project_holding_resources_is_not_deleted(world: World) -> None:
    # Given a project with a container in it
    olivia = world.acting(world.olivia)
    web = world.projects.create(olivia, "web", "")
    world.store.count(world.org, {web.id: 1})
    # When Olivia deletes it, it is refused until the container has left
    with pytest.raises(Conflict) as busy:
        world.projects.delete(olivia, web.id)
    assert "still holds 1" in busy.value.message
    world.store.count(world.org, {web.id: -1})
    world.projects.delete(olivia, web.id)
    with pytest.raises(NotFound):
        world.projects.get(olivia, web.id)


def test_a_member_limited_to_projects_sees_only_those(world: World) -> None:
    olivia = world.acting(world.olivia)
    web = world.projects.create(olivia, "web", "")
    api = world.projects.create(olivia, "api", "")
    dev = world.acting(world.member("Dev", "developer", (web.id,)))
    assert [p.name for p in world.projects.page(dev, 20, None).items] == ["web"]
    assert world.projects.get(dev, web.id).id == web.id
    with pytest.raises(NotFound):
        world.projects.get(dev, api.id)
    assert sorted(p.name for p in world.projects.page(olivia, 20, None).items) == ["api", "web"]
