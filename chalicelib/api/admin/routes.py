"""The admin area: users (search, suspend, role), organizations (list, detail), platform figures.

Hosts (api/hosts), billing operations (api/billing/admin_routes) and the audit trail (api/audit) have their
own admin routes.
"""

from __future__ import annotations

from chalice.app import Blueprint

from chalicelib.api.admin.schemas import (
    AdminOrganizationDetailOut,
    AdminOrganizationListOut,
    AdminOrganizationOut,
    AdminUserListOut,
    AdminUserOut,
    PlatformStatsOut,
    RoleIn,
    SuspendIn,
    UserSearchIn,
)
from chalicelib.api.http import Call, endpoint
from chalicelib.api.wire import PageQuery
from chalicelib.domain.admin.entities import UserSearch
from chalicelib.wiring.admin import get_admin

bp = Blueprint(__name__)
TAG = "admin"


@endpoint(
    bp,
    "/api/admin/users",
    "GET",
    summary="Users whose email (or name, by=name) starts with q, in that order",
    tag=TAG,
    auth="admin",
    query=UserSearchIn,
    response=AdminUserListOut,
)
def list_admin_users(call: Call) -> AdminUserListOut:
    q: UserSearchIn = call.query
    page = get_admin().users(call.principal, UserSearch(by=q.by, prefix=q.q), q.limit, q.cursor)
    return AdminUserListOut(users=[AdminUserOut.of(u) for u in page.items], next_cursor=page.next_cursor)


@endpoint(
    bp,
    "/api/admin/users/{user_id}/suspend",
    "POST",
    summary="Suspend a user: they cannot sign in, and every token they hold stops working",
    tag=TAG,
    auth="admin",
    request=SuspendIn,
    response=AdminUserOut,
    errors=(404, 409),
)
def suspend_user(call: Call, user_id: str) -> AdminUserOut:
    body: SuspendIn = call.body
    return AdminUserOut.of(get_admin().suspend(call.principal, user_id, body.reason))


@endpoint(
    bp,
    "/api/admin/users/{user_id}/unsuspend",
    "POST",
    summary="Lift a user's suspension (they sign in again)",
    tag=TAG,
    auth="admin",
    response=AdminUserOut,
    errors=(404, 409),
)
def unsuspend_user(call: Call, user_id: str) -> AdminUserOut:
    return AdminUserOut.of(get_admin().unsuspend(call.principal, user_id))


@endpoint(
    bp,
    "/api/admin/users/{user_id}/role",
    "PUT",
    summary="Change a user's platform role (applies from their next sign-in: their tokens stop working)",
    tag=TAG,
    auth="admin",
    request=RoleIn,
    response=AdminUserOut,
    errors=(404, 409),
)
def set_user_role(call: Call, user_id: str) -> AdminUserOut:
    body: RoleIn = call.body
    return AdminUserOut.of(get_admin().set_role(call.principal, user_id, body.role))


@endpoint(
    bp,
    "/api/admin/organizations",
    "GET",
    summary="Every organization, newest first",
    tag=TAG,
    auth="admin",
    query=PageQuery,
    response=AdminOrganizationListOut,
)
def list_admin_organizations(call: Call) -> AdminOrganizationListOut:
    q: PageQuery = call.query
    page = get_admin().organizations(call.principal, q.limit, q.cursor)
    return AdminOrganizationListOut(
        organizations=[AdminOrganizationOut.of(o) for o in page.items], next_cursor=page.next_cursor
    )


@endpoint(
    bp,
    "/api/admin/organizations/{org_id}",
    "GET",
    summary="One organization: balance, this month's money, members, standing, package",
    tag=TAG,
    auth="admin",
    response=AdminOrganizationDetailOut,
    errors=(404,),
)
def get_admin_organization(call: Call, org_id: str) -> AdminOrganizationDetailOut:
    return AdminOrganizationDetailOut.of_detail(get_admin().organization(call.principal, org_id))


@endpoint(
    bp,
    "/api/admin/stats",
    "GET",
    summary="Platform figures: users, organizations, running containers, VPS, this month's money",
    tag=TAG,
    auth="admin",
    response=PlatformStatsOut,
)
def get_platform_stats(call: Call) -> PlatformStatsOut:
    return PlatformStatsOut.of(get_admin().figures(call.principal))
