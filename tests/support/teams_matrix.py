"""Teams' rows of the authorization matrix, and the owner's team resources the cells name.

Invitation links may be used only by the address they were sent to: the matrix's links are sent to the
platform admin (a member of no customer organization), so only that caller may accept or decline one; it is
taken out of the owner's organization again after it joined.
"""

from __future__ import annotations

from tests.support.matrix import JOINED, ROLE_OF, Caller, Cell, Listing, Row, World, join

SIGNED_IN = frozenset(Caller) - {Caller.ANONYMOUS, Caller.EXPIRED, Caller.REVOKED}


def new_member(world: World) -> str:
    """A new viewer in the owner's organization."""
    member = world.api.user("Spare")
    join(world.owner, member, "viewer")
    return member.id


def pending_invite(world: World) -> str:
    return str(_invite(world, f"{world.unique('invited')}@example.com")["id"])


def admin_invite_token(world: World) -> str:
    """A link to the owner's organization sent to the platform admin's address."""
    return str(_invite(world, world.admin.email)["token"])


def new_project(world: World) -> str:
    reply = world.owner.call("POST", "/api/projects", {"name": world.unique("project")})
    assert reply.status == 201, reply.body
    return str(reply.body["id"])


def _invite(world: World, email: str) -> dict[str, str]:
    reply = world.owner.call("POST", "/api/organization/invites", {"email": email, "role": "viewer"})
    assert reply.status == 201, reply.body
    return dict(reply.body)


def add_team_resources(world: World) -> None:
    """A member to change, a pending invitation, a link for the admin and a project, all the owner's."""
    world.makers.update(
        {
            "user_id": new_member,
            "invite_id": pending_invite,
            "token": admin_invite_token,
            "project_id": new_project,
        }
    )
    world.ids.update(
        {
            "user_id": new_member(world),
            "invite_id": pending_invite(world),
            "token": admin_invite_token(world),
            "project_id": new_project(world),
        }
    )


def rejoin(world: World, cells: list[Cell]) -> None:
    """The members who left join again with their roles."""
    for cell in cells:
        if cell.caller in JOINED and cell.reply.status == 204:
            join(world.owner, world.members[cell.caller], ROLE_OF[cell.caller])


def admin_leaves(world: World, cells: list[Cell]) -> None:
    """The platform admin, who joined by accepting, is taken out of the owner's organization again."""
    if any(cell.caller is Caller.ADMIN and cell.reply.status == 200 for cell in cells):
        reply = world.owner.call("DELETE", f"/api/organization/members/{world.admin.id}")
        assert reply.status == 204, reply.body


# Only the invited address may use a link; everyone else signed in is refused.
_INVITEE_ONLY = {**dict.fromkeys(SIGNED_IN, 403)}

TEAM_ROWS: dict[str, Row] = {
    "list_members": Row(lists=Listing("members", "user_id", field="user_id")),
    "update_member": Row(body=lambda w: {"role": "viewer"}),
    "remove_member": Row(fresh=("user_id",)),
    # the last owner may not leave (the owner here, and every caller acting in an organization of its own)
    "leave_organization": Row(
        expect={Caller.OWNER: 409, Caller.OTHER_ORG: 409, Caller.ADMIN: 409}, after=rejoin
    ),
    "create_invite": Row(body=lambda w: {"email": f"{w.unique('new')}@example.com", "role": "viewer"}),
    "list_invites": Row(lists=Listing("invites", "invite_id")),
    "revoke_invite": Row(fresh=("invite_id",)),
    "get_invite": Row(scoped=False),
    "accept_invite": Row(expect={**_INVITEE_ONLY, Caller.ADMIN: 200}, fresh=("token",), after=admin_leaves),
    "decline_invite": Row(expect={**_INVITEE_ONLY, Caller.ADMIN: 204}, fresh=("token",)),
    "list_projects": Row(lists=Listing("projects", "project_id")),
    "create_project": Row(body=lambda w: {"name": w.unique("project")}),
    "get_project": Row(),
    "update_project": Row(body=lambda w: {"description": w.unique("about")}),
    "delete_project": Row(fresh=("project_id",)),
}
