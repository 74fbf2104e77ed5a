"""The Members, Invites and Projects ports, run against the repositories on moto and against FakeTeams."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import timedelta

import pytest

from chalicelib.domain.accounts.entities import Membership
from chalicelib.domain.shared.errors import Conflict, NotFound
from chalicelib.domain.shared.ids import new_ulid
from chalicelib.domain.shared.roles import OrgRole
from chalicelib.domain.teams.entities import Invite, InviteUnusable, LastOwner, Project, token_digest
from tests.contract.builders import T0, later
from tests.contract.teams.conftest import TeamStores

_ticks = itertools.count()


def invitation(org_id: str, email: str, role: OrgRole = "viewer", **fields: object) -> Invite:
    """Each one newer than the one before (its ULID a millisecond later)."""
    invite = Invite(
        id=new_ulid(1_767_225_600_000 + next(_ticks)),
        organization_id=org_id,
        email=email,
        role=role,
        project_ids=None,
        token_sha256=token_digest("secret"),
        invited_by="someone",
        created_at=T0,
        expires_at=(T0 + timedelta(days=7)).replace(microsecond=0),
    )
    return replace(invite, **fields)  # type: ignore[arg-type]


def project(org_id: str, name: str = "web") -> Project:
    return Project(new_ulid(), org_id, name, "", 0, "someone", T0, T0)


def joined(stores: TeamStores, org_id: str, name: str, role: OrgRole = "viewer") -> Membership:
    """A new user who joined `org_id` with `role` through an invitation."""
    user = stores.sign_up(name).user
    invite = invitation(org_id, user.email, role)
    stores.invites.save_invite(invite)
    stores.members.join(invite, user.id, "Olivia's organization", later())
    found = stores.members.get_member(org_id, user.id)
    assert found is not None
    return found


def test_joining_adds_the_member_on_both_sides_and_uses_the_invitation(team_stores: TeamStores) -> None:
    # Given Olivia's organization and an invitation for Dan
    org = team_stores.sign_up("Olivia").organization.id
    dan = team_stores.sign_up("Dan").user
    invite = invitation(org, dan.email, "developer")
    team_stores.invites.save_invite(invite)
    # When Dan joins with it
    team_stores.members.join(invite, dan.id, "Olivia's organization", later())
    # Then both sides of the membership exist, and the invitation is used (not pending, not usable again)
    assert team_stores.members.get_member(org, dan.id) == Membership(
        org, "Olivia's organization", dan.id, "developer", None
    )
    assert [m.organization_id for m in team_stores.accounts.list_memberships(dan.id)].count(org) == 1
    stored = team_stores.invites.get_invite(org, invite.id)
    assert stored is not None and (stored.outcome, stored.used_by) == ("accepted", dan.id)
    assert team_stores.invites.recent_invites(org, later(), 10) == []
    with pytest.raises(InviteUnusable):
        team_stores.members.join(invite, dan.id, "Olivia's organization", later(120))


def test_an_expired_or_unknown_invitation_cannot_be_used(team_stores: TeamStores) -> None:
    org = team_stores.sign_up("Olivia").organization.id
    dan = team_stores.sign_up("Dan").user
    invite = invitation(org, dan.email)
    team_stores.invites.save_invite(invite)
    with pytest.raises(InviteUnusable):
        team_stores.members.join(invite, dan.id, "x", invite.expires_at)
    with pytest.raises(InviteUnusable):
        team_stores.members.join(invitation(org, dan.email), dan.id, "x", later())
    with pytest.raises(InviteUnusable):
        team_stores.invites.decline(replace(invite, token_sha256=token_digest("other")), dan.id, later())
    assert team_stores.members.get_member(org, dan.id) is None


def test_pending_invitations_are_the_unused_unexpired_ones_newest_first(team_stores: TeamStores) -> None:
    org = team_stores.sign_up("Olivia").organization.id
    old = invitation(org, "a@example.com")
    declined = invitation(org, "b@example.com")
    short = invitation(org, "c@example.com", expires_at=later(3600).replace(microsecond=0))
    new = invitation(org, "d@example.com")
    for invite in (old, declined, short, new):
        team_stores.invites.save_invite(invite)
    team_stores.invites.decline(declined, "someone", later())
    pending = team_stores.invites.recent_invites(org, later(7200), 10)
    assert [i.id for i in pending] == [new.id, old.id]
    assert team_stores.invites.recent_invites(org, later(7200), 1) == [new]
    assert team_stores.invites.delete_invite(org, old.id) is True
    assert team_stores.invites.delete_invite(org, old.id) is False
    assert team_stores.invites.get_invite(org, old.id) is None


def test_the_only_owner_can_neither_be_demoted_nor_removed(team_stores: TeamStores) -> None:
    account = team_stores.sign_up("Olivia")
    org, olivia = account.organization.id, account.membership
    with pytest.raises(LastOwner):
        team_stores.members.change_member(olivia, "admin", None, later())
    with pytest.raises(LastOwner):
        team_stores.members.remove_member(olivia)
    assert team_stores.members.get_member(org, olivia.user_id) == olivia


def test_a_second_owner_lets_the_first_go_and_the_count_follows(team_stores: TeamStores) -> None:
    account = team_stores.sign_up("Olivia")
    org, olivia = account.organization.id, account.membership
    oscar = joined(team_stores, org, "Oscar", "owner")
    team_stores.members.change_member(olivia, "admin", None, later())
    olivia_admin = team_stores.members.get_member(org, olivia.user_id)
    assert olivia_admin is not None and olivia_admin.role == "admin"
    # Oscar is now the only owner again
    with pytest.raises(LastOwner):
        team_stores.members.remove_member(oscar)
    team_stores.members.remove_member(olivia_admin)
    assert team_stores.members.get_member(org, olivia.user_id) is None
    assert [m.organization_id for m in team_stores.accounts.list_memberships(olivia.user_id)] == []


def test_a_change_from_a_stale_role_is_a_conflict(team_stores: TeamStores) -> None:
    org = team_stores.sign_up("Olivia").organization.id
    vic = joined(team_stores, org, "Vic")
    team_stores.members.change_member(vic, "developer", None, later())
    with pytest.raises(Conflict):
        team_stores.members.change_member(vic, "admin", None, later())  # read as viewer, is a developer
    with pytest.raises(Conflict):
        team_stores.members.remove_member(vic)
    found = team_stores.members.get_member(org, vic.user_id)
    assert found is not None and found.role == "developer"
    assert [
        m.role for m in team_stores.accounts.list_memberships(vic.user_id) if m.organization_id == org
    ] == ["developer"]


def test_a_project_limit_names_existing_projects_only(team_stores: TeamStores) -> None:
    org = team_stores.sign_up("Olivia").organization.id
    vic = joined(team_stores, org, "Vic")
    web = project(org)
    team_stores.projects.create_project(web)
    with pytest.raises(NotFound) as missing:
        team_stores.members.change_member(vic, "viewer", (web.id, new_ulid()), later())
    assert missing.value.details == {"field": "project_ids"}
    team_stores.members.change_member(vic, "viewer", (web.id,), later())
    limited = team_stores.members.get_member(org, vic.user_id)
    assert limited is not None and limited.project_ids == (web.id,)
    assert team_stores.projects.missing_projects(org, [web.id, "01NOPE"]) == ["01NOPE"]


def test_members_page_with_names_and_a_cursor(team_stores: TeamStores) -> None:
    org = team_stores.sign_up("Olivia").organization.id
    for name in ("Ann", "Bob", "Cid"):
        joined(team_stores, org, name)
    first = team_stores.members.page_members(org, 2, None)
    assert len(first.items) == 2 and first.next_cursor
    rest = team_stores.members.page_members(org, 2, first.next_cursor)
    names = sorted(m.name for m in first.items + rest.items)
    assert names == ["Ann", "Bob", "Cid", "Olivia"]
    assert {m.email for m in first.items + rest.items} >= {"ann@example.com", "olivia@example.com"}


def test_project_names_are_guarded_and_free_again_after_a_rename(team_stores: TeamStores) -> None:
    org = team_stores.sign_up("Olivia").organization.id
    web = project(org, "Web")
    team_stores.projects.create_project(web)
    with pytest.raises(Conflict):
        team_stores.projects.create_project(project(org, "web"))
    renamed = team_stores.projects.rename_project(web, "site", "pages", later())
    assert team_stores.projects.get_project(org, web.id) == renamed
    team_stores.projects.create_project(project(org, "web"))  # the old name is free
    with pytest.raises(Conflict):
        team_stores.projects.rename_project(renamed, "WEB", "", later())
    team_stores.projects.delete_project(renamed)
    with pytest.raises(NotFound):
        team_stores.projects.get_project(org, web.id)
    assert [p.name for p in team_stores.projects.page_projects(org, 10, None).items] == ["web"]
