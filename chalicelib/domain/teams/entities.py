"""Teams: members with roles, invitations with single-use links, projects that group resources."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime

from chalicelib.domain.shared.errors import Conflict
from chalicelib.domain.shared.roles import OrgRole

MAX_PROJECTS_PER_MEMBER = 50
MAX_PENDING_INVITES_SHOWN = 100
PROJECT_NAME_MAX = 63
PROJECT_NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9 _.-]*$"
PROJECT_DESCRIPTION_MAX = 500
# An address a mail header can carry: no whitespace, no control characters (they would break the header).
_ADDRESS_PART = r"[^@\s\x00-\x1f\x7f-\x9f]+"
INVITE_EMAIL_PATTERN = rf"^{_ADDRESS_PART}@{_ADDRESS_PART}\.{_ADDRESS_PART}$"
PROJECT_ID_PATTERN = r"^[0-9A-HJKMNP-TV-Z]{26}$"  # ULIDs
# <organization id>_<invite id>_<secret (64 hex digits)>: the ids make the lookup one GetItem; only the
# secret's SHA-256 is stored. No dots: a link path must not look like a file to the web app's host.
TOKEN_PATTERN = r"^[A-Za-z0-9-]{1,64}_[0-9A-Z]{26}_[0-9a-f]{64}$"  # noqa: S105 - a format
_TOKEN = re.compile(TOKEN_PATTERN)


class LastOwner(Conflict):
    """The change would leave the organization without an owner."""

    code = "last_owner"


class InviteUnusable(Conflict):
    """The invitation was used, revoked or expired before this write (the service says which)."""

    code = "invite_unusable"


@dataclass(frozen=True)
class Member:
    user_id: str
    email: str
    name: str
    role: OrgRole
    project_ids: tuple[str, ...] | None  # None: every project
    joined_at: datetime


@dataclass(frozen=True)
class MemberChange:
    """What a PUT on a member changes: `role` None = unchanged; `project_ids` only when `set_projects`."""

    role: OrgRole | None = None
    set_projects: bool = False
    project_ids: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Invite:
    id: str  # a ULID: newest first
    organization_id: str
    email: str
    role: OrgRole
    project_ids: tuple[str, ...] | None
    token_sha256: str
    invited_by: str
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None = None
    used_by: str | None = None
    outcome: str | None = None  # "accepted" | "declined" once used

    def pending(self, now: datetime) -> bool:
        return self.used_at is None and self.expires_at > now


@dataclass(frozen=True)
class IssuedInvite:
    """A new invitation with its link: the only time the token is known (it is stored hashed)."""

    invite: Invite
    token: str
    link: str
    mailed: bool


@dataclass(frozen=True)
class InvitePreview:
    """What the link holder sees before accepting."""

    invite: Invite
    organization_name: str
    invited_by_name: str
    for_you: bool


@dataclass(frozen=True)
class Project:
    id: str
    organization_id: str
    name: str
    description: str
    resource_count: int
    created_by: str
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class InviteToken:
    organization_id: str
    invite_id: str
    secret: str

    @classmethod
    def parse(cls, token: str) -> InviteToken | None:
        if not _TOKEN.match(token):
            return None
        org_id, invite_id, secret = token.split("_")
        return cls(org_id, invite_id, secret)

    def __str__(self) -> str:
        return f"{self.organization_id}_{self.invite_id}_{self.secret}"


def token_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def mask_email(email: str) -> str:
    """'ann@example.com' -> 'a**@example.com' (shown to a signed-in user the invitation is not for)."""
    local, _, domain = email.partition("@")
    return f"{local[:1]}{'*' * max(2, len(local) - 1)}@{domain}"
