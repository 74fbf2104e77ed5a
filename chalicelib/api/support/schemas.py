"""Wire models of support tickets. Bounds and patterns are the domain's own (chalicelib/domain/support)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import ConfigDict, Field, model_validator

from chalicelib.api.wire import NextCursor, Out, PageQuery, Strict
from chalicelib.domain.support.desk import TicketUpdate
from chalicelib.domain.support.entities import (
    MAX_MESSAGE_LENGTH,
    MAX_SUBJECT_LENGTH,
    MESSAGE_PATTERN,
    RESOURCE_ID_PATTERN,
    SUBJECT_PATTERN,
    Person,
    Reply,
    ResourceKind,
    ResourceLink,
    Thread,
    Ticket,
    TicketCategory,
    TicketFilters,
    TicketPriority,
    TicketRequest,
    TicketStatus,
)

Subject = Annotated[
    str,
    Field(
        min_length=1,
        max_length=MAX_SUBJECT_LENGTH,
        pattern=SUBJECT_PATTERN,
        description="One line, at least one visible character",
        examples=["My container does not start"],
    ),
]
Message = Annotated[
    str,
    Field(
        min_length=1,
        max_length=MAX_MESSAGE_LENGTH,
        pattern=MESSAGE_PATTERN,
        description="Plain text; new lines and tabs allowed, other control characters not",
        examples=["Since this morning it exits at once."],
    ),
]
UserId = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9-]+$")]


class ResourceLinkIn(Strict):
    kind: ResourceKind
    id: Annotated[str, Field(pattern=RESOURCE_ID_PATTERN, description="The container's or VPS's id")]

    def to_domain(self) -> ResourceLink:
        return ResourceLink(kind=self.kind, id=self.id)


class TicketIn(Strict):
    subject: Subject
    message: Message
    priority: TicketPriority
    category: TicketCategory
    resource: ResourceLinkIn | None = Field(
        default=None,
        description="A container or VPS of the organization the ticket is about (400, field `resource`, "
        "when the organization has no such resource)",
    )

    def to_domain(self) -> TicketRequest:
        return TicketRequest(
            subject=self.subject,
            message=self.message,
            priority=self.priority,
            category=self.category,
            resource=self.resource.to_domain() if self.resource else None,
        )


class ReplyIn(Strict):
    message: Message


class TicketQuery(PageQuery):
    status: TicketStatus | None = None
    priority: TicketPriority | None = None
    category: TicketCategory | None = None

    def filters(self) -> TicketFilters:
        return TicketFilters(status=self.status, priority=self.priority, category=self.category)


class AdminTicketQuery(TicketQuery):
    organization_id: UserId | None = None
    assignee_id: UserId | None = None

    def filters(self) -> TicketFilters:
        return TicketFilters(
            status=self.status,
            priority=self.priority,
            category=self.category,
            organization_id=self.organization_id,
            assignee_id=self.assignee_id,
        )


class TicketUpdateIn(Strict):
    """At least one field. `assignee_id` null takes the ticket from its assignee."""

    model_config = ConfigDict(json_schema_extra={"minProperties": 1})

    status: TicketStatus | None = Field(default=None, description="Any status; null or absent: unchanged")
    assignee_id: UserId | None = Field(
        default=None,
        description="A platform administrator (400, field `assignee_id`, for anyone else); null: nobody",
    )

    @model_validator(mode="before")
    @classmethod
    def _something(cls, data: Any) -> Any:
        if isinstance(data, dict) and not data:
            raise ValueError("send status and/or assignee_id")
        return data

    def to_domain(self) -> TicketUpdate:
        assign = "assignee_id" in self.model_fields_set
        return TicketUpdate(status=self.status, assign=assign, assignee_id=self.assignee_id)


class ResourceLinkOut(Out):
    kind: ResourceKind
    id: str
    name: str


class TicketOut(Out):
    ticket_id: str
    status: TicketStatus
    subject: str
    message: str
    priority: TicketPriority
    category: TicketCategory
    resource: ResourceLinkOut | None
    organization_id: str
    organization_name: str
    created_by: str
    author_name: str
    assignee_id: str | None
    reply_count: int
    last_reply_at: datetime | None
    last_reply_by_admin: bool
    created_at: datetime
    updated_at: datetime

    @classmethod
    def fields_of(cls, t: Ticket) -> dict[str, Any]:
        resource = t.resource
        return {
            "ticket_id": t.id,
            "status": t.status,
            "subject": t.subject,
            "message": t.message,
            "priority": t.priority,
            "category": t.category,
            "resource": ResourceLinkOut(kind=resource.kind, id=resource.id, name=resource.name or resource.id)
            if resource
            else None,
            "organization_id": t.organization_id,
            "organization_name": t.organization_name,
            "created_by": t.created_by,
            "author_name": t.author_name,
            "assignee_id": t.assignee_id,
            "reply_count": t.reply_count,
            "last_reply_at": t.last_reply_at,
            "last_reply_by_admin": t.last_reply_by_admin,
            "created_at": t.created_at,
            "updated_at": t.updated_at,
        }

    @classmethod
    def of(cls, t: Ticket) -> TicketOut:
        return cls(**cls.fields_of(t))


class ReplyOut(Out):
    id: str
    ticket_id: str
    user_id: str
    author_name: str
    message: str
    is_admin_reply: bool
    created_at: datetime

    @classmethod
    def of(cls, r: Reply) -> ReplyOut:
        return cls(
            id=r.id,
            ticket_id=r.ticket_id,
            user_id=r.user_id,
            author_name=r.author_name,
            message=r.message,
            is_admin_reply=r.is_admin_reply,
            created_at=r.created_at,
        )


class ThreadOut(TicketOut):
    """The ticket with its replies, oldest first."""

    replies: list[ReplyOut]

    @classmethod
    def of_thread(cls, thread: Thread) -> ThreadOut:
        return cls(**cls.fields_of(thread.ticket), replies=[ReplyOut.of(r) for r in thread.replies])


class TicketListOut(Out):
    tickets: list[TicketOut]
    next_cursor: NextCursor


class AgentOut(Out):
    id: str
    name: str
    email: str

    @classmethod
    def of(cls, p: Person) -> AgentOut:
        return cls(id=p.id, name=p.name, email=p.email)


class AgentListOut(Out):
    agents: list[AgentOut]
