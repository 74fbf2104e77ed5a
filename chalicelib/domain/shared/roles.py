"""Organization roles and the groups of them routes allow (checked at the edge, before any handler runs).

owner: everything, and the only role that may grant or take away the owner role.
admin: everything an owner does except touching owners; manages members, invites and projects.
developer: deploys and operates containers (and VPS instances).
billing: the wallet, top-ups and payment methods.
viewer: reads only.
"""

from __future__ import annotations

from typing import Literal

from chalicelib.domain.shared.errors import PermissionDenied

OrgRole = Literal["owner", "admin", "developer", "billing", "viewer"]
ORG_ROLES: tuple[OrgRole, ...] = ("owner", "admin", "developer", "billing", "viewer")
OWNER: OrgRole = "owner"
ADMIN: OrgRole = "admin"
DEVELOPER: OrgRole = "developer"
BILLING: OrgRole = "billing"
VIEWER: OrgRole = "viewer"

Roles = frozenset[OrgRole]
ANY_MEMBER: Roles = frozenset(ORG_ROLES)  # reads
OPERATE: Roles = frozenset({OWNER, ADMIN, DEVELOPER})  # deploy and operate workloads
PAY: Roles = frozenset({OWNER, ADMIN, BILLING})  # move money: top-ups, payment methods
MANAGE: Roles = frozenset({OWNER, ADMIN})  # members, invites, projects


def ordered(roles: Roles) -> list[OrgRole]:
    """The roles in the order of ORG_ROLES (most powerful first)."""
    return [role for role in ORG_ROLES if role in roles]


def describe(roles: Roles) -> str:
    """'owner, admin or developer'."""
    names = ordered(roles)
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"


def require_role(role: OrgRole | None, allowed: Roles) -> None:
    """Raises PermissionDenied naming the roles that may do this and the caller's own."""
    if role in allowed:
        return
    raise PermissionDenied(
        f"This needs the {describe(allowed)} role in this organization; yours is {role or 'none'}.",
        details={"required_roles": ordered(allowed), "role": role},
    )
