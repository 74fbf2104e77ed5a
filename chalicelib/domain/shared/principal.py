"""Who is asking: verified token claims plus the organization they act in."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from chalicelib.domain.shared.roles import OrgRole

PlatformRole = Literal["admin", "user"]
PLATFORM_ADMIN: PlatformRole = "admin"
__all__ = ["ANONYMOUS", "PLATFORM_ADMIN", "OrgRole", "PlatformRole", "Principal"]


@dataclass(frozen=True)
class Principal:
    """The caller of one request. `organization_id` is empty for routes that act on no organization.

    `project_ids`: the projects of the organization the member is limited to (None: every project, and
    resources in no project).
    """

    user_id: str
    role: PlatformRole
    token_id: str
    token_expires: int
    token_issued: int = 0
    organization_id: str = ""
    organization_role: OrgRole | None = None
    project_ids: frozenset[str] | None = None

    @property
    def is_admin(self) -> bool:
        return self.role == PLATFORM_ADMIN

    def may_use_project(self, project_id: str | None) -> bool:
        """True when the member may see and act on a resource in `project_id` (None: in no project)."""
        return self.project_ids is None or (project_id is not None and project_id in self.project_ids)


ANONYMOUS = Principal(user_id="", role="user", token_id="", token_expires=0)
