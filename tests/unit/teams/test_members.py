"""Member rules: who may touch the owner role, the last owner, project limits, the audit trail."""

from __future__ import annotations

import pytest

from chalicelib.domain.shared.errors import NotFound, PermissionDenied, ValidationFailed
from chalicelib.domain.teams.entities import LastOwner, MemberChange
from tests.unit.teams.conftest import World


def test_an_owner_changes_a_members_role_and_the_trail_records_before_and_after(world: World) -> None:
    # Given Vic, a viewer in Olivia's organization
    vic = world.member("Vic", "viewer")
    # When Olivia makes Vic a developer
    changed = world.team.change_member(
        world.acting(world.olivia), vic.user_id, MemberChange(role="developer")
    )
    # Then Vic is a developer from now on, and the audit trail says who changed what
    assert changed.role == "developer" and world.role_of(vic) == "developer"
    [event] = world.audit.events
    assert (event.action, event.actor_id, event.target_id) == (
        "member.role_changed",
        world.olivia.user_id,
        vic.user_id,
    )
    assert event.before == {"role": "viewer", "project_ids": None}
    assert event.after == {"role": "developer", "project_ids": None}


@pytest.mark.parametrize("change", [MemberChange(role="owner")])
def test_an_admin_cannot_grant_the_owner_role(world: World, change: MemberChange) -> None:
    # Given Ada, an admin, and Vic, a viewer
    ada, vic = world.member("Ada", "admin"), world.member("Vic", "viewer")
    # When Ada tries to make Vic an owner
    with pytest.raises(PermissionDenied) as refused:
        world.team.change_member(world.acting(ada), vic.user_id, change)
    # Then she is told only an owner may, and Vic is still a viewer
    assert "Only an owner" in refused.value.message
    assert world.role_of(vic) == "viewer"


def test_an_admin_can_neither_demote_nor_remove_an_owner(world: World) -> None:
    ada = world.member("Ada", "admin")
    with pytest.raises(PermissionDenied):
        world.team.change_member(world.acting(ada), world.olivia.user_id, MemberChange(role="viewer"))
    with pytest.raises(PermissionDenied):
        world.team.remove_member(world.acting(ada), world.olivia.user_id)
    assert world.role_of(world.olivia) == "owner"


def test_an_admin_removes_a_developer(world: World) -> None:
    ada, dev = world.member("Ada", "admin"), world.member("Dev", "developer")
    world.team.remove_member(world.acting(ada), dev.user_id)
    assert world.role_of(dev) is None
    assert world.audit.actions() == ["member.removed"]


def test_the_last_owner_can_neither_leave_nor_be_demoted(world: World) -> None:
    # Given Olivia, the only owner
    olivia = world.acting(world.olivia)
    # When she tries to leave, or to make herself an admin
    with pytest.raises(LastOwner) as leaving:
        world.team.leave(olivia)
    with pytest.raises(LastOwner):
        world.team.change_member(olivia, world.olivia.user_id, MemberChange(role="admin"))
    # Then she stays the owner, told to make someone else an owner first
    assert "last owner" in leaving.value.message and leaving.value.status == 409
    assert world.role_of(world.olivia) == "owner"


def test_with_a_second_owner_the_first_may_leave(world: World) -> None:
    oscar = world.member("Oscar", "viewer")
    world.team.change_member(world.acting(world.olivia), oscar.user_id, MemberChange(role="owner"))
    world.team.leave(world.acting(world.olivia))
    assert world.role_of(world.olivia) is None and world.role_of(oscar) == "owner"
    assert world.audit.actions() == ["member.role_changed", "member.left"]


def test_any_member_may_leave(world: World) -> None:
    bea = world.member("Bea", "billing")
    world.team.leave(world.acting(bea))
    assert world.role_of(bea) is None


def test_changing_someone_who_is_not_a_member_is_not_found(world: World) -> None:
    stranger = world.person("Stranger")
    with pytest.raises(NotFound):
        world.team.change_member(world.acting(world.olivia), stranger.user_id, MemberChange(role="admin"))
    with pytest.raises(NotFound):
        world.team.remove_member(world.acting(world.olivia), stranger.user_id)


def test_a_developer_can_be_limited_to_projects_and_set_free_again(world: World) -> None:
    # Given a project and Dev, a developer
    web = world.projects.create(world.acting(world.olivia), "web", "")
    dev = world.member("Dev", "developer")
    olivia = world.acting(world.olivia)
    # When Olivia limits Dev to it, then lifts the limit
    limited = world.team.change_member(
        olivia, dev.user_id, MemberChange(set_projects=True, project_ids=(web.id,))
    )
    assert limited.project_ids == (web.id,) and world.acting(dev).project_ids == frozenset({web.id})
    freed = world.team.change_member(olivia, dev.user_id, MemberChange(set_projects=True, project_ids=None))
    # Then Dev sees every project again
    assert freed.project_ids is None and world.acting(dev).project_ids is None


def test_a_limit_naming_a_missing_project_is_refused(world: World) -> None:
    dev = world.member("Dev", "developer")
    with pytest.raises(NotFound) as missing:
        world.team.change_member(
            world.acting(world.olivia), dev.user_id, MemberChange(set_projects=True, project_ids=("01NOPE",))
        )
    assert missing.value.details == {"field": "project_ids"}
    assert world.acting(dev).project_ids is None


def test_admins_and_owners_see_every_project(world: World) -> None:
    web = world.projects.create(world.acting(world.olivia), "web", "")
    dev = world.member("Dev", "developer", (web.id,))
    olivia = world.acting(world.olivia)
    with pytest.raises(ValidationFailed) as refused:
        world.team.change_member(
            olivia, dev.user_id, MemberChange(role="admin", set_projects=True, project_ids=(web.id,))
        )
    assert refused.value.details == {"field": "project_ids"}
    # promoted without naming projects: the limit goes
    promoted = world.team.change_member(olivia, dev.user_id, MemberChange(role="admin"))
    assert promoted.role == "admin" and promoted.project_ids is None


def test_a_change_that_changes_nothing_writes_nothing(world: World) -> None:
    vic = world.member("Vic", "viewer")
    world.team.change_member(world.acting(world.olivia), vic.user_id, MemberChange(role="viewer"))
    assert world.audit.events == []


def test_members_are_listed_with_names_and_roles(world: World) -> None:
    world.member("Vic", "viewer")
    page = world.team.members(world.acting(world.olivia), 20, None)
    assert sorted((m.name, m.role) for m in page.items) == [("Olivia", "owner"), ("Vic", "viewer")]
