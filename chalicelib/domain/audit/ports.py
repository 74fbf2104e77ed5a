"""What the audit trail needs: an append-only log and a way to name an actor by email."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from chalicelib.domain.audit.entities import AuditEntry, AuditQuery


@dataclass(frozen=True)
class Slice:
    """Entries read from one range (newest first), and where reading stopped.

    `resume`: the id to continue below (exclusive) when the range was not read to its start, else None.
    """

    entries: list[AuditEntry]
    resume: str | None


class AuditLog(Protocol):
    """The trail's store. It offers no way to change or remove an entry."""

    def append(self, entry: AuditEntry) -> None:
        """Write the entry once, under its organization (or the platform when it has none). Raises
        Conflict when an entry with its id exists (never overwritten)."""
        ...

    def of_organization(
        self, org_id: str, query: AuditQuery, low: datetime, below: str, want: int, reads: int
    ) -> Slice:
        """Up to `want` entries of the organization matching `query`, newest first, with ids below `below`
        and times from `low`, using at most `reads` store requests."""
        ...

    def of_platform(self, query: AuditQuery, low: datetime, below: str, want: int, reads: int) -> Slice:
        """The same across every organization and the platform's own entries (one index partition a day)."""
        ...


class Actors(Protocol):
    """Who an actor id is."""

    def email_of(self, user_id: str) -> str | None:
        """The user's email address, or None when there is no such user."""
        ...
