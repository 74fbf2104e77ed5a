"""Invitations: a mailed single-use link that expires, stored hashed, usable by the invited address only."""

from __future__ import annotations

import pytest

from chalicelib.domain.shared.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from chalicelib.domain.teams.entities import token_digest
from tests.unit.teams.conftest import INVITE_TTL, PUBLIC_URL, World, token_of


def test_an_invitation_is_mailed_with_its_link_and_only_a_hash_is_stored(world: World) -> None:
    # When Olivia invites Dan as a developer
    issued = world.team.invite(world.acting(world.olivia), "Dan@Example.com", "developer", None)
    # Then the answer has a link, the same link was mailed to Dan, and the store keeps only the secret's hash
    assert issued.link == f"{PUBLIC_URL}/invites/{issued.token}" and issued.mailed
    [(to, template, values)] = world.mailer.sent
    assert (to, template) == ("dan@example.com", "team_invite")
    assert values["link"] == issued.link and values["role"] == "developer" and values["inviter"] == "Olivia"
    stored = world.store.get_invite(world.org, issued.invite.id)
    assert stored is not None and stored.email == "dan@example.com"
    secret = token_of(issued.link).secret
    assert stored.token_sha256 == token_digest(secret) and secret not in repr(stored)
    assert stored.expires_at == world.clock.now + INVITE_TTL
    assert world.audit.actions() == ["invite.created"]


def test_when_the_mail_server_is_down_the_link_is_still_given(world: World) -> None:
    world.mailer.down = True
    issued = world.team.invite(world.acting(world.olivia), "dan@example.com", "viewer", None)
    assert not issued.mailed and issued.link.startswith(PUBLIC_URL)
    assert [i.id for i in world.team.pending_invites(world.acting(world.olivia))] == [issued.invite.id]


def test_the_invited_address_accepts_once_and_joins_with_the_role(world: World) -> None:
    # Given an invitation for Dan
    dan = world.person("Dan")
    issued = world.team.invite(world.acting(world.olivia), dan.email, "billing", None)
    # When Dan accepts it
    joined = world.team.accept(world.signed_in(dan), issued.token)
    # Then he is a billing member, and the link does not work a second time
    assert (joined.organization_id, joined.role) == (world.org, "billing")
    assert world.role_of(dan) == "billing"
    with pytest.raises(Conflict) as again:
        world.team.accept(world.signed_in(dan), issued.token)
    assert "already been accepted" in again.value.message
    assert world.team.pending_invites(world.acting(world.olivia)) == []
    assert world.audit.actions() == ["invite.created", "invite.accepted"]


def test_someone_else_holding_the_link_cannot_use_it(world: World) -> None:
    dan, eve = world.person("Dan"), world.person("Eve")
    issued = world.team.invite(world.acting(world.olivia), dan.email, "admin", None)
    # Eve may look, but sees Dan's address masked and cannot accept or decline
    preview = world.team.preview(world.signed_in(eve), issued.token)
    assert not preview.for_you and preview.organization_name == "Olivia's organization"
    with pytest.raises(PermissionDenied) as refused:
        world.team.accept(world.signed_in(eve), issued.token)
    assert "d**@example.com" in refused.value.message and dan.email not in refused.value.message
    with pytest.raises(PermissionDenied):
        world.team.decline(world.signed_in(eve), issued.token)
    assert world.role_of(eve) is None
    # and Dan still can
    world.team.accept(world.signed_in(dan), issued.token)
    assert world.role_of(dan) == "admin"


def test_an_expired_invitation_cannot_be_used(world: World) -> None:
    dan = world.person("Dan")
    issued = world.team.invite(world.acting(world.olivia), dan.email, "viewer", None)
    world.clock.advance(seconds=INVITE_TTL.total_seconds())
    with pytest.raises(NotFound) as expired:
        world.team.accept(world.signed_in(dan), issued.token)
    assert "expired" in expired.value.message
    assert world.role_of(dan) is None
    assert world.team.pending_invites(world.acting(world.olivia)) == []


def test_a_revoked_or_tampered_link_is_not_found(world: World) -> None:
    dan = world.person("Dan")
    olivia = world.acting(world.olivia)
    issued = world.team.invite(olivia, dan.email, "viewer", None)
    tampered = issued.token[:-1] + ("a" if issued.token[-1] != "a" else "b")
    for token in (tampered, "not-a-token", f"{world.org}_{issued.invite.id}"):
        with pytest.raises(NotFound):
            world.team.accept(world.signed_in(dan), token)
    world.team.revoke_invite(olivia, issued.invite.id)
    with pytest.raises(NotFound):
        world.team.accept(world.signed_in(dan), issued.token)
    with pytest.raises(NotFound):
        world.team.revoke_invite(olivia, issued.invite.id)
    assert world.role_of(dan) is None


def test_a_declined_invitation_cannot_be_accepted_afterwards(world: World) -> None:
    dan = world.person("Dan")
    issued = world.team.invite(world.acting(world.olivia), dan.email, "viewer", None)
    world.team.decline(world.signed_in(dan), issued.token)
    with pytest.raises(Conflict) as later:
        world.team.accept(world.signed_in(dan), issued.token)
    assert "declined" in later.value.message and world.role_of(dan) is None


def test_only_an_owner_invites_an_owner(world: World) -> None:
    ada = world.member("Ada", "admin")
    with pytest.raises(PermissionDenied):
        world.team.invite(world.acting(ada), "x@example.com", "owner", None)
    issued = world.team.invite(world.acting(world.olivia), "x@example.com", "owner", None)
    assert issued.invite.role == "owner"


def test_inviting_a_member_again_is_a_conflict_naming_the_email(world: World) -> None:
    vic = world.member("Vic", "viewer")
    with pytest.raises(Conflict) as taken:
        world.team.invite(world.acting(world.olivia), vic.email.upper(), "admin", None)
    assert taken.value.details == {"field": "email"}


def test_an_invitation_can_limit_to_projects_that_exist(world: World) -> None:
    olivia = world.acting(world.olivia)
    web = world.projects.create(olivia, "web", "")
    dan = world.person("Dan")
    with pytest.raises(NotFound):
        world.team.invite(olivia, dan.email, "developer", ["01NOPE"])
    with pytest.raises(ValidationFailed):
        world.team.invite(olivia, dan.email, "admin", [web.id])
    issued = world.team.invite(olivia, dan.email, "developer", [web.id, web.id])
    world.team.accept(world.signed_in(dan), issued.token)
    assert world.acting(dan).project_ids == frozenset({web.id})


def test_a_user_who_became_a_member_meanwhile_cannot_accept_again(world: World) -> None:
    dan = world.person("Dan")
    olivia = world.acting(world.olivia)
    first = world.team.invite(olivia, dan.email, "viewer", None)
    second = world.team.invite(olivia, dan.email, "admin", None)
    world.team.accept(world.signed_in(dan), first.token)
    with pytest.raises(Conflict) as already:
        world.team.accept(world.signed_in(dan), second.token)
    assert "already a member" in already.value.message and world.role_of(dan) == "viewer"
