"""The tenant scope: which organization's data the current unit of work may touch.

The edge enters the scope of the organization a request acts in (taken from the verified token and
checked membership, never from a path or body); the store enters it around the few operations that
act on an organization before a request has one (sign-up, the membership check itself). In AWS the
store signs DynamoDB requests inside a scope with a session that IAM confines to that organization's
partition (`dynamodb:LeadingKeys`), so a bug that reaches for another tenant's items is denied by
AWS, not only by our code. Locally the scope is bookkeeping only.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from chalicelib.domain.shared.errors import PermissionDenied

# Organization ids are uuid4s; anything else cannot name an organization (nor become a session tag).
_ORG_ID = re.compile(r"^[A-Za-z0-9-]{1,64}$")
_current: ContextVar[str | None] = ContextVar("containerstacks_tenant", default=None)


class TenantScopeViolation(RuntimeError):
    """Code inside one organization's scope tried to enter another's: a bug, answered 500 and logged."""


def current_tenant() -> str | None:
    """The organization in scope, or None (platform work: sign-in, admin, schedules)."""
    return _current.get()


@contextmanager
def tenant_scope(org_id: str) -> Iterator[str]:
    """Run the block in `org_id`'s scope. Entering the scope already active is a no-op.

    Raises PermissionDenied for a value that cannot be an organization id (as for a non-member), and
    TenantScopeViolation when another organization's scope is active.
    """
    if not _ORG_ID.match(org_id):
        raise PermissionDenied("You are not a member of this organization.")
    active = _current.get()
    if active is not None and active != org_id:
        raise TenantScopeViolation(f"organization {org_id} requested inside the scope of {active}")
    token = _current.set(org_id)
    try:
        yield org_id
    finally:
        _current.reset(token)
