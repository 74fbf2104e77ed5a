"""Wire models of the audit trail: the filters of both views, an entry, a page."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import Field

from chalicelib.api.wire import NextCursor, Out, Strict
from chalicelib.domain.audit.entities import ACTION_PATTERN, MAX_ACTION_LENGTH, AuditEntry, AuditQuery
from chalicelib.domain.audit.positions import ULID_PATTERN
from chalicelib.domain.shared.paging import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE

AuditCursor = Annotated[
    str,
    Field(
        pattern=ULID_PATTERN, description="The next_cursor of the previous page (X-Next-Cursor of an export)"
    ),
]
_MOMENT = "ISO-8601 time (UTC when no offset is given); inclusive"


class AuditFilterIn(Strict):
    """What both views and both exports filter by."""

    action: Annotated[str, Field(max_length=MAX_ACTION_LENGTH, pattern=ACTION_PATTERN)] | None = Field(
        default=None, description="Only this action, e.g. auth.login_failed"
    )
    actor: Annotated[str, Field(min_length=1, max_length=254)] | None = Field(
        default=None, description="Only what this user did: a user id or an email address (any case)"
    )
    from_: datetime | None = Field(default=None, alias="from", description=f"Entries from this {_MOMENT}")
    to: datetime | None = Field(default=None, description=f"Entries up to this {_MOMENT} (default: now)")
    cursor: AuditCursor | None = None

    def to_domain(self, organization_id: str | None = None) -> AuditQuery:
        return AuditQuery(
            action=self.action,
            actor=self.actor,
            organization_id=organization_id,
            since=self.from_,
            until=self.to,
        )


class AuditPageIn(AuditFilterIn):
    limit: Annotated[int, Field(ge=1, le=MAX_PAGE_SIZE)] = DEFAULT_PAGE_SIZE


OrganizationId = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9-]+$")]


class AdminAuditFilterIn(AuditFilterIn):
    organization_id: OrganizationId | None = Field(default=None, description="Only this organization's trail")


class AdminAuditPageIn(AdminAuditFilterIn):
    limit: Annotated[int, Field(ge=1, le=MAX_PAGE_SIZE)] = DEFAULT_PAGE_SIZE


class AuditEntryOut(Out):
    id: str
    at: datetime
    action: str
    actor_id: str = Field(description="A user id, 'anonymous' (a failed sign-in) or system:<what>")
    actor_email: str | None
    organization_id: str | None
    target_type: str | None
    target_id: str | None
    ip: str | None = Field(description="The client address the request came from (null: a workflow)")
    before: dict[str, Any] | None
    after: dict[str, Any] | None

    @classmethod
    def of(cls, e: AuditEntry) -> AuditEntryOut:
        return cls(
            id=e.id,
            at=e.at,
            action=e.action,
            actor_id=e.actor_id,
            actor_email=e.actor_email,
            organization_id=e.organization_id,
            target_type=e.target_type,
            target_id=e.target_id,
            ip=e.ip,
            before=e.before,
            after=e.after,
        )


class AuditPageOut(Out):
    entries: list[AuditEntryOut]
    next_cursor: NextCursor
