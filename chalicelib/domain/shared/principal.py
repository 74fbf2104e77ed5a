"""Who is asking: verified token claims plus the organization they act in."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

PlatformRole = Literal["admin", "user"]
OrgRole = Literal["owner", "member"]
PLATFORM_ADMIN: PlatformRole = "admin"


@dataclass(frozen=True)
class Principal:
    """The caller of one request. `organization_id` is empty for routes that act on no organization."""

    user_id: str
    role: PlatformRole
    token_id: str
    token_expires: int
    token_issued: int = 0
    organization_id: str = ""
    organization_role: OrgRole | None = None

    @property
    def is_admin(self) -> bool:
        return self.role == PLATFORM_ADMIN


ANONYMOUS = Principal(user_id="", role="user", token_id="", token_expires=0)
