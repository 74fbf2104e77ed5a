"""Team helpers for API tests: invite someone into an organization and have them accept."""

from __future__ import annotations

from typing import Any

from chalicelib.api.http import ORG_HEADER
from tests.support.api import Reply, User


def act_in(org_id: str) -> dict[str, str]:
    """Headers acting in `org_id` (a member's other organization)."""
    return {ORG_HEADER: org_id}


def invite(inviter: User, email: str, role: str, **extra: Any) -> Reply:
    reply = inviter.call("POST", "/api/organization/invites", {"email": email, "role": role, **extra})
    return reply


def join(inviter: User, member: User, role: str, **extra: Any) -> str:
    """`member` joins `inviter`'s organization with `role`; returns that organization's id."""
    issued = invite(inviter, member.email, role, **extra)
    assert issued.status == 201, issued.body
    accepted = member.call("POST", f"/api/invites/{issued.body['token']}/accept")
    assert accepted.status == 200, accepted.body
    return str(accepted.body["organization_id"])


def call_in(member: User, org_id: str, method: str, path: str, body: Any = None) -> Reply:
    """`member`'s request acting in `org_id`."""
    return member.call(method, path, body, headers=act_in(org_id))
