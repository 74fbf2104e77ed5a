"""Routes for teams (seed /collaboration): members and roles, invitations, projects.

Member routes act in the organization of the request (the token's own, or X-Organization-Id); invitation
links are used by whoever was invited, before they are a member (auth "user").
"""

from __future__ import annotations

from chalice.app import Blueprint

from chalicelib.api.http import Call, endpoint
from chalicelib.api.teams.schemas import (
    InviteCreatedOut,
    InviteIn,
    InviteListOut,
    InviteOut,
    InvitePreviewOut,
    JoinedOut,
    MemberListOut,
    MemberOut,
    MemberRoleOut,
    MemberUpdateIn,
    ProjectIn,
    ProjectListOut,
    ProjectOut,
    ProjectUpdateIn,
)
from chalicelib.api.wire import PageQuery
from chalicelib.domain.shared.roles import ANY_MEMBER, MANAGE
from chalicelib.wiring.teams import get_projects, get_team

bp = Blueprint(__name__)
TEAM = "teams"
PROJECTS = "projects"


@endpoint(
    bp,
    "/api/organization/members",
    "GET",
    summary="Members of the organization with their roles and project limits",
    tag=TEAM,
    query=PageQuery,
    response=MemberListOut,
    roles=ANY_MEMBER,
)
def list_members(call: Call) -> MemberListOut:
    q: PageQuery = call.query
    page = get_team().members(call.principal, q.limit, q.cursor)
    return MemberListOut(members=[MemberOut.of(m) for m in page.items], next_cursor=page.next_cursor)


@endpoint(
    bp,
    "/api/organization/members/{user_id}",
    "PUT",
    summary="Change a member's role and/or project limit (only owners touch the owner role; one owner stays)",
    tag=TEAM,
    request=MemberUpdateIn,
    response=MemberRoleOut,
    errors=(404, 409),
    roles=MANAGE,
)
def update_member(call: Call, user_id: str) -> MemberRoleOut:
    body: MemberUpdateIn = call.body
    return MemberRoleOut.of(get_team().change_member(call.principal, user_id, body.to_domain()))


@endpoint(
    bp,
    "/api/organization/members/{user_id}",
    "DELETE",
    summary="Remove a member (only owners remove owners; the last owner stays)",
    tag=TEAM,
    status=204,
    errors=(404, 409),
    roles=MANAGE,
)
def remove_member(call: Call, user_id: str) -> None:
    get_team().remove_member(call.principal, user_id)


@endpoint(
    bp,
    "/api/organization/leave",
    "POST",
    summary="Leave the organization (its last owner cannot)",
    tag=TEAM,
    status=204,
    errors=(404, 409),
    roles=ANY_MEMBER,
)
def leave_organization(call: Call) -> None:
    get_team().leave(call.principal)


@endpoint(
    bp,
    "/api/organization/invites",
    "POST",
    summary="Invite someone by email: a single-use link that expires, mailed and in the answer",
    tag=TEAM,
    status=201,
    request=InviteIn,
    response=InviteCreatedOut,
    errors=(404, 409),
    idempotent=True,
    roles=MANAGE,
)
def create_invite(call: Call) -> InviteCreatedOut:
    body: InviteIn = call.body
    issued = get_team().invite(call.principal, body.email, body.role, body.project_ids)
    return InviteCreatedOut.of_issued(issued)


@endpoint(
    bp,
    "/api/organization/invites",
    "GET",
    summary="Pending invitations, newest first (at most 100)",
    tag=TEAM,
    response=InviteListOut,
    roles=MANAGE,
)
def list_invites(call: Call) -> InviteListOut:
    return InviteListOut(invites=[InviteOut.of(i) for i in get_team().pending_invites(call.principal)])


@endpoint(
    bp,
    "/api/organization/invites/{invite_id}",
    "DELETE",
    summary="Revoke an invitation (its link stops working)",
    tag=TEAM,
    status=204,
    errors=(404,),
    roles=MANAGE,
)
def revoke_invite(call: Call, invite_id: str) -> None:
    get_team().revoke_invite(call.principal, invite_id)


@endpoint(
    bp,
    "/api/invites/{token}",
    "GET",
    summary="What an invitation link offers (any signed-in user holding it)",
    tag=TEAM,
    auth="user",
    response=InvitePreviewOut,
    errors=(404, 409),
)
def get_invite(call: Call, token: str) -> InvitePreviewOut:
    return InvitePreviewOut.of(get_team().preview(call.principal, token))


@endpoint(
    bp,
    "/api/invites/{token}/accept",
    "POST",
    summary="Join the organization with the invitation's role (the invited address only, once)",
    tag=TEAM,
    auth="user",
    response=JoinedOut,
    errors=(403, 404, 409),
)
def accept_invite(call: Call, token: str) -> JoinedOut:
    return JoinedOut.of(get_team().accept(call.principal, token))


@endpoint(
    bp,
    "/api/invites/{token}/decline",
    "POST",
    summary="Decline an invitation (the invited address only; the link stops working)",
    tag=TEAM,
    auth="user",
    status=204,
    errors=(403, 404, 409),
)
def decline_invite(call: Call, token: str) -> None:
    get_team().decline(call.principal, token)


@endpoint(
    bp,
    "/api/projects",
    "GET",
    summary="Projects of the organization (a member limited to projects sees those)",
    tag=PROJECTS,
    query=PageQuery,
    response=ProjectListOut,
    roles=ANY_MEMBER,
)
def list_projects(call: Call) -> ProjectListOut:
    q: PageQuery = call.query
    page = get_projects().page(call.principal, q.limit, q.cursor)
    return ProjectListOut(projects=[ProjectOut.of(p) for p in page.items], next_cursor=page.next_cursor)


@endpoint(
    bp,
    "/api/projects",
    "POST",
    summary="Create a project (names are unique in the organization)",
    tag=PROJECTS,
    status=201,
    request=ProjectIn,
    response=ProjectOut,
    errors=(409,),
    idempotent=True,
    roles=MANAGE,
)
def create_project(call: Call) -> ProjectOut:
    body: ProjectIn = call.body
    return ProjectOut.of(get_projects().create(call.principal, body.name, body.description))


@endpoint(
    bp,
    "/api/projects/{project_id}",
    "GET",
    summary="One project",
    tag=PROJECTS,
    response=ProjectOut,
    errors=(404,),
    roles=ANY_MEMBER,
)
def get_project(call: Call, project_id: str) -> ProjectOut:
    return ProjectOut.of(get_projects().get(call.principal, project_id))


@endpoint(
    bp,
    "/api/projects/{project_id}",
    "PUT",
    summary="Rename a project or change its description",
    tag=PROJECTS,
    request=ProjectUpdateIn,
    response=ProjectOut,
    errors=(404, 409),
    roles=MANAGE,
)
def update_project(call: Call, project_id: str) -> ProjectOut:
    body: ProjectUpdateIn = call.body
    return ProjectOut.of(get_projects().update(call.principal, project_id, body.name, body.description))


@endpoint(
    bp,
    "/api/projects/{project_id}",
    "DELETE",
    summary="Delete an empty project (409 while containers or VPS instances are in it)",
    tag=PROJECTS,
    status=204,
    errors=(404, 409),
    roles=MANAGE,
)
def delete_project(call: Call, project_id: str) -> None:
    get_projects().delete(call.principal, project_id)
