"""Wire models of teams: members, invitations, projects."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import ConfigDict, Field
from pydantic.json_schema import SkipJsonSchema

from chalicelib.api.wire import NextCursor, Out, Strict
from chalicelib.domain.accounts.entities import MAX_EMAIL_LENGTH, Membership
from chalicelib.domain.shared.roles import OrgRole
from chalicelib.domain.teams.entities import (
    INVITE_EMAIL_PATTERN,
    MAX_PROJECTS_PER_MEMBER,
    PROJECT_DESCRIPTION_MAX,
    PROJECT_ID_PATTERN,
    PROJECT_NAME_MAX,
    PROJECT_NAME_PATTERN,
    Invite,
    InvitePreview,
    IssuedInvite,
    Member,
    MemberChange,
    Project,
    mask_email,
)

ProjectId = Annotated[str, Field(pattern=PROJECT_ID_PATTERN, description="A project of the organization")]
ProjectIds = Annotated[
    list[ProjectId],
    Field(
        max_length=MAX_PROJECTS_PER_MEMBER,
        description="The projects the member may see and act in; null: every project (and resources in none)",
    ),
]
ProjectName = Annotated[str, Field(min_length=1, max_length=PROJECT_NAME_MAX, pattern=PROJECT_NAME_PATTERN)]
Description = Annotated[str, Field(max_length=PROJECT_DESCRIPTION_MAX)]


def _no_default(schema: dict[str, Any]) -> None:
    """An omitted field is unchanged; its Python default (None) is not a value the document offers."""
    schema.pop("default", None)


class MemberUpdateIn(Strict):
    """A new role and/or project limit; an omitted field is unchanged. Only an owner grants or takes away
    the owner role; owners and admins always see every project."""

    role: OrgRole | SkipJsonSchema[None] = Field(default=None, json_schema_extra=_no_default)
    project_ids: ProjectIds | None = Field(default=None, json_schema_extra=_no_default)

    def to_domain(self) -> MemberChange:
        return MemberChange(
            role=self.role,
            set_projects="project_ids" in self.model_fields_set,
            project_ids=tuple(self.project_ids) if self.project_ids is not None else None,
        )


class MemberOut(Out):
    user_id: str
    email: str
    name: str
    role: OrgRole
    project_ids: list[str] | None
    joined_at: datetime

    @classmethod
    def of(cls, m: Member) -> MemberOut:
        return cls(
            user_id=m.user_id,
            email=m.email,
            name=m.name,
            role=m.role,
            project_ids=list(m.project_ids) if m.project_ids is not None else None,
            joined_at=m.joined_at,
        )


class MemberListOut(Out):
    members: list[MemberOut]
    next_cursor: NextCursor


class MemberRoleOut(Out):
    user_id: str
    organization_id: str
    role: OrgRole
    project_ids: list[str] | None

    @classmethod
    def of(cls, m: Membership) -> MemberRoleOut:
        return cls(
            user_id=m.user_id,
            organization_id=m.organization_id,
            role=m.role,
            project_ids=list(m.project_ids) if m.project_ids is not None else None,
        )


class InviteIn(Strict):
    """Owners and admins see every project: `project_ids` goes with the other roles only."""

    model_config = ConfigDict(
        json_schema_extra={
            "if": {"properties": {"role": {"enum": ["owner", "admin"]}}, "required": ["role"]},
            "then": {"properties": {"project_ids": {"type": "null"}}},
        }
    )

    email: Annotated[str, Field(max_length=MAX_EMAIL_LENGTH, pattern=INVITE_EMAIL_PATTERN)]
    role: OrgRole
    project_ids: ProjectIds | None = None


class InviteOut(Out):
    id: str
    email: str
    role: OrgRole
    project_ids: list[str] | None
    invited_by: str
    created_at: datetime
    expires_at: datetime

    @classmethod
    def of(cls, i: Invite) -> InviteOut:
        return cls(
            id=i.id,
            email=i.email,
            role=i.role,
            project_ids=list(i.project_ids) if i.project_ids is not None else None,
            invited_by=i.invited_by,
            created_at=i.created_at,
            expires_at=i.expires_at,
        )


class InviteCreatedOut(InviteOut):
    """The invitation and its link (shown this once: only a hash of it is stored). `mailed`: whether the
    mail server took the invitation mail (if not, pass the link on yourself)."""

    token: str
    link: str
    mailed: bool

    @classmethod
    def of_issued(cls, issued: IssuedInvite) -> InviteCreatedOut:
        return cls(
            **InviteOut.of(issued.invite).model_dump(),
            token=issued.token,
            link=issued.link,
            mailed=issued.mailed,
        )


class InviteListOut(Out):
    invites: list[InviteOut]


class InvitePreviewOut(Out):
    """What an invitation link offers. `for_you`: it was sent to the signed-in user's address (only then can
    they accept it); the address is masked otherwise."""

    organization_id: str
    organization_name: str
    email: str
    role: OrgRole
    invited_by_name: str
    expires_at: datetime
    for_you: bool

    @classmethod
    def of(cls, p: InvitePreview) -> InvitePreviewOut:
        return cls(
            organization_id=p.invite.organization_id,
            organization_name=p.organization_name,
            email=p.invite.email if p.for_you else mask_email(p.invite.email),
            role=p.invite.role,
            invited_by_name=p.invited_by_name,
            expires_at=p.invite.expires_at,
            for_you=p.for_you,
        )


class JoinedOut(Out):
    """The organization joined: act in it with `X-Organization-Id: <organization_id>`."""

    organization_id: str
    organization_name: str
    role: OrgRole

    @classmethod
    def of(cls, m: Membership) -> JoinedOut:
        return cls(organization_id=m.organization_id, organization_name=m.organization_name, role=m.role)


class ProjectIn(Strict):
    name: ProjectName
    description: Description = ""


class ProjectUpdateIn(Strict):
    name: ProjectName | SkipJsonSchema[None] = Field(default=None, json_schema_extra=_no_default)
    description: Description | SkipJsonSchema[None] = Field(default=None, json_schema_extra=_no_default)


class ProjectOut(Out):
    id: str
    name: str
    description: str
    resource_count: int
    created_by: str
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, p: Project) -> ProjectOut:
        return cls(
            id=p.id,
            name=p.name,
            description=p.description,
            resource_count=p.resource_count,
            created_by=p.created_by,
            created_at=p.created_at,
            updated_at=p.updated_at,
        )


class ProjectListOut(Out):
    projects: list[ProjectOut]
    next_cursor: NextCursor
