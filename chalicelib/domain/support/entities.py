"""Support tickets: the ticket, its replies, the status rules, and the mail they cause (an outbox message)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal

TicketStatus = Literal["open", "in_progress", "resolved", "closed"]
TicketPriority = Literal["low", "medium", "high", "urgent"]
TicketCategory = Literal["general", "technical", "billing", "account", "containers", "vps"]
ResourceKind = Literal["container", "vps"]
Audience = Literal["admins", "user"]

OPEN: TicketStatus = "open"
IN_PROGRESS: TicketStatus = "in_progress"
RESOLVED: TicketStatus = "resolved"
CLOSED: TicketStatus = "closed"
STATUSES: tuple[TicketStatus, ...] = (OPEN, IN_PROGRESS, RESOLVED, CLOSED)
PRIORITIES: tuple[TicketPriority, ...] = ("low", "medium", "high", "urgent")
CATEGORIES: tuple[TicketCategory, ...] = ("general", "technical", "billing", "account", "containers", "vps")
STATUS_LABELS: Mapping[TicketStatus, str] = {
    OPEN: "open",
    IN_PROGRESS: "in progress",
    RESOLVED: "resolved",
    CLOSED: "closed",
}

MAX_SUBJECT_LENGTH = 200
MAX_MESSAGE_LENGTH = 10_000
MAX_REPLIES = 500  # per ticket: the thread is read whole, so it stays bounded
# One line without control characters (it becomes a mail Subject header), at least one visible character.
SUBJECT_PATTERN = r"^[^\x00-\x1f\x7f]*[^\x00-\x20\x7f][^\x00-\x1f\x7f]*$"
# Text: newlines and tabs allowed, other control characters not; at least one visible character.
MESSAGE_PATTERN = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*[^\x00-\x20\x7f][^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"
# Ticket and reply ids are ULIDs; anything else names no ticket.
ID_PATTERN = r"^[0-9A-HJKMNP-TV-Z]{26}$"
RESOURCE_ID_PATTERN = r"^[A-Za-z0-9-]{1,64}$"
_ID = re.compile(ID_PATTERN)

# Who may move a ticket where. A customer closes any ticket that is not closed and reopens a resolved or
# closed one (asking for the status a ticket already has changes nothing); an operator sets any status.
# Replying moves it too (see next_status_on_reply).
CUSTOMER_CLOSE_FROM = frozenset({OPEN, IN_PROGRESS, RESOLVED})
CUSTOMER_REOPEN_FROM = frozenset({RESOLVED, CLOSED})


def is_ticket_id(value: str) -> bool:
    return bool(_ID.match(value))


@dataclass(frozen=True)
class ResourceLink:
    """The container or VPS a ticket is about (checked to exist in the organization when linked)."""

    kind: ResourceKind
    id: str
    name: str = ""


@dataclass(frozen=True)
class TicketRequest:
    """A validated new ticket (the seed's body, plus the optional resource link)."""

    subject: str
    message: str
    priority: TicketPriority
    category: TicketCategory
    resource: ResourceLink | None = None


@dataclass(frozen=True)
class TicketFilters:
    """List filters; None: any. `organization_id` and `assignee_id` only in the operators' list."""

    status: TicketStatus | None = None
    priority: TicketPriority | None = None
    category: TicketCategory | None = None
    organization_id: str | None = None
    assignee_id: str | None = None


@dataclass(frozen=True)
class Ticket:
    id: str
    organization_id: str
    created_by: str
    author_name: str
    subject: str
    message: str
    status: TicketStatus
    priority: TicketPriority
    category: TicketCategory
    created_at: datetime
    updated_at: datetime
    resource: ResourceLink | None = None
    organization_name: str = ""
    assignee_id: str | None = None
    reply_count: int = 0
    last_reply_at: datetime | None = None
    last_reply_by_admin: bool = False
    version: int = 1


@dataclass(frozen=True)
class Reply:
    id: str
    ticket_id: str
    organization_id: str
    user_id: str
    author_name: str
    message: str
    is_admin_reply: bool
    created_at: datetime


@dataclass(frozen=True)
class Thread:
    ticket: Ticket
    replies: list[Reply]


@dataclass(frozen=True)
class Person:
    """A user as support mail and the operators' views need them."""

    id: str
    name: str
    email: str


def next_status_on_reply(status: TicketStatus, by_admin: bool) -> TicketStatus:
    """An operator's first answer takes an open ticket in hand; a customer answering a resolved ticket
    reopens it. Closed tickets take no replies (reopen first)."""
    if by_admin and status == OPEN:
        return IN_PROGRESS
    if not by_admin and status == RESOLVED:
        return OPEN
    return status


@dataclass(frozen=True)
class OutboxMessage:
    """One email to send: written in the same transaction as the change that causes it, delivered later by
    the mail function (retried with back-off until every recipient took it; never dropped for an outage).

    audience "admins": every platform administrator plus the support address; "user": `user_id`'s address.
    """

    id: str
    organization_id: str
    template: str
    values: Mapping[str, str]
    audience: Audience
    created_at: datetime
    next_attempt_at: datetime
    user_id: str | None = None
    delivered_to: tuple[str, ...] = ()
    attempts: int = 0
    last_error: str | None = None
    version: int = 1


@dataclass(frozen=True)
class RetryPolicy:
    """Back-off of undelivered mail: base, doubled per failed attempt up to `max_seconds`, forever.
    `lease_seconds`: how long one delivery run holds a message before another run may take it over (longer
    than a run lasts: `batch` messages, at most `failures_per_run` of them waiting for a server timeout)."""

    base_seconds: int = 30
    max_seconds: int = 3600
    lease_seconds: int = 300
    batch: int = 50
    failures_per_run: int = 3  # a run stops after this many undelivered messages (the rest wait unclaimed)

    def lease(self) -> timedelta:
        return timedelta(seconds=self.lease_seconds)

    def delay(self, attempts: int) -> timedelta:
        """The wait after the `attempts`-th failed attempt (1: base)."""
        exponent = min(max(attempts - 1, 0), 30)
        return timedelta(seconds=min(self.base_seconds * 2**exponent, self.max_seconds))


@dataclass(frozen=True)
class DeliveryReport:
    """What one delivery run did: messages fully sent, messages put back for a retry, emails sent."""

    delivered: int = 0
    deferred: int = 0
    emails: int = 0
    skipped: int = 0
    errors: list[str] = field(default_factory=list)
