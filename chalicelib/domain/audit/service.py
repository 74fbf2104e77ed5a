"""The audit trail: the AuditTrail port every capability records to, and the views that read it.

Recording never raises (the action it describes has happened; undoing it would be worse than a lost line):
an entry that cannot be written is logged in full at ERROR level, so the log keeps what the table lost.
Reading: an organization's owners see their organization's trail (`GET /api/audit`), platform
administrators see everything (`GET /api/admin/audit`); both as pages or as CSV.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from threading import Lock

from chalicelib.domain.audit.entities import (
    ANONYMOUS_ACTOR,
    DEFAULT_WINDOW,
    SYSTEM_PREFIX,
    AuditEntry,
    AuditQuery,
    Export,
    csv_text,
    sanitized,
    window,
)
from chalicelib.domain.audit.ports import Actors, AuditLog, Slice
from chalicelib.domain.audit.positions import ceiling_id, floor_id, id_before, is_ulid
from chalicelib.domain.shared.audit import REQUEST_ORIGIN, AuditEvent
from chalicelib.domain.shared.clock import Clock, utcnow
from chalicelib.domain.shared.errors import PermissionDenied, ValidationFailed
from chalicelib.domain.shared.ids import new_ulid
from chalicelib.domain.shared.paging import Page
from chalicelib.domain.shared.principal import Principal

log = logging.getLogger("containerstacks.audit")
TRAIL_READERS = frozenset({"owner", "admin"})  # organization roles that may read their organization's trail
PAGE_READS = 8  # store requests one page of an organization's trail may make (filters read more than given)
PLATFORM_PAGE_READS = 40  # the platform view reads a partition per day: a page covers the default 30 days
EXPORT_ROWS = 5000  # rows per CSV download (about 1.5 MB; the rest through the X-Next-Cursor header)
EXPORT_READS = 400
_EMAILS_CACHED = 2048


@dataclass(frozen=True)
class _Range:
    low: datetime
    below: str  # inclusive upper bound: the largest id still wanted


class AuditService:
    """Records audit events and reads them back. Raises PermissionDenied (not an owner, not an admin) and
    ValidationFailed (field `cursor`)."""

    def __init__(self, log_: AuditLog, actors: Actors, *, clock: Clock = utcnow) -> None:
        self._log = log_
        self._actors = actors
        self._clock = clock
        self._emails: OrderedDict[str, str | None] = OrderedDict()
        self._lock = Lock()

    # ------------------------------------------------------------ the AuditTrail port
    def record(self, event: AuditEvent) -> None:
        try:
            entry = self.entry_of(event)
        except Exception:  # a bug in building the entry must not fail the action either
            log.exception("audit entry lost (could not be built): %r", event)
            return
        try:
            self._log.append(entry)
        except Exception:
            log.exception("audit entry lost (not written): %r", entry)

    def entry_of(self, event: AuditEvent) -> AuditEntry:
        now = self._clock()
        return AuditEntry(
            id=new_ulid(int(now.timestamp() * 1000)),
            at=now,
            action=event.action,
            actor_id=event.actor_id,
            actor_email=self._email_of(event.actor_id),
            organization_id=event.organization_id or None,
            target_type=event.target_type,
            target_id=event.target_id,
            ip=event.ip if event.ip is not None else (REQUEST_ORIGIN.get() or None),
            before=sanitized(event.before),
            after=sanitized(event.after),
        )

    def _email_of(self, actor_id: str) -> str | None:
        """The actor's email (users only), remembered per process: addresses never change here."""
        if actor_id == ANONYMOUS_ACTOR or actor_id.startswith(SYSTEM_PREFIX) or not actor_id:
            return None
        with self._lock:
            if actor_id in self._emails:
                self._emails.move_to_end(actor_id)
                return self._emails[actor_id]
        email = self._actors.email_of(actor_id)
        with self._lock:
            self._emails[actor_id] = email
            while len(self._emails) > _EMAILS_CACHED:
                self._emails.popitem(last=False)
        return email

    # ------------------------------------------------------------ views
    def organization_trail(
        self, p: Principal, query: AuditQuery, limit: int, cursor: str | None
    ) -> Page[AuditEntry]:
        """The trail of the organization acted in, newest first (its owners only)."""
        org_id = self._reader(p)
        scoped = replace(query, organization_id=org_id)
        return self._page(scoped, self._range(scoped, cursor, None), limit, PAGE_READS)

    def platform_trail(
        self, p: Principal, query: AuditQuery, limit: int, cursor: str | None
    ) -> Page[AuditEntry]:
        """Every entry (platform administrators), newest first; without `since` the last 30 days."""
        _require_admin(p)
        reads = PAGE_READS if query.organization_id else PLATFORM_PAGE_READS
        return self._page(query, self._range(query, cursor, DEFAULT_WINDOW), limit, reads)

    def export_organization(self, p: Principal, query: AuditQuery, cursor: str | None) -> Export:
        org_id = self._reader(p)
        scoped = replace(query, organization_id=org_id)
        return self._export(scoped, self._range(scoped, cursor, None))

    def export_platform(self, p: Principal, query: AuditQuery, cursor: str | None) -> Export:
        _require_admin(p)
        return self._export(query, self._range(query, cursor, DEFAULT_WINDOW))

    # ------------------------------------------------------------ reading
    def _reader(self, p: Principal) -> str:
        if p.organization_role not in TRAIL_READERS:
            raise PermissionDenied("Only the organization's owners may read its audit trail.")
        return p.organization_id

    def _range(self, query: AuditQuery, cursor: str | None, default: timedelta | None) -> _Range:
        low, high = window(query, self._clock(), default)
        below = ceiling_id(high)
        if cursor is not None:
            if not is_ulid(cursor):
                raise ValidationFailed("The cursor is not valid.", details={"field": "cursor"})
            below = min(below, id_before(cursor))
        return _Range(low, below)

    def _read(self, query: AuditQuery, span: _Range, want: int, reads: int) -> Slice:
        if span.below < floor_id(span.low):
            return Slice([], None)
        if query.organization_id:
            return self._log.of_organization(query.organization_id, query, span.low, span.below, want, reads)
        return self._log.of_platform(query, span.low, span.below, want, reads)

    def _page(self, query: AuditQuery, span: _Range, limit: int, reads: int) -> Page[AuditEntry]:
        found = self._read(query, span, limit, reads)
        return Page(items=found.entries, next_cursor=found.resume)

    def _export(self, query: AuditQuery, span: _Range) -> Export:
        found = self._read(query, span, EXPORT_ROWS, EXPORT_READS)
        return Export(csv_text(found.entries), len(found.entries), found.resume)


def _require_admin(p: Principal) -> None:
    if not p.is_admin:
        raise PermissionDenied("Only platform administrators may do this.")
