"""In-memory fakes of the audit ports: a trail that records events, and the append-only log (which passes the
same contract tests as the real store, tests/contract/audit)."""

from __future__ import annotations

import threading
from datetime import datetime

from chalicelib.domain.audit.entities import AuditEntry, AuditQuery
from chalicelib.domain.audit.ports import Slice
from chalicelib.domain.audit.positions import floor_id
from chalicelib.domain.shared.audit import AuditEvent
from chalicelib.domain.shared.errors import Conflict


class RecordingTrail:
    """The AuditTrail port: keeps every event it is given."""

    def __init__(self) -> None:
        self.events: list[AuditEvent] = []

    def record(self, event: AuditEvent) -> None:
        self.events.append(event)

    @property
    def actions(self) -> list[str]:
        return [e.action for e in self.events]

    def only(self, action: str) -> AuditEvent:
        found = [e for e in self.events if e.action == action]
        assert len(found) == 1, (action, self.actions)
        return found[0]


class FakeAuditLog:
    """Entries by id; a range is read newest first, all of it in one go (no read budget)."""

    def __init__(self) -> None:
        self.entries: dict[str, AuditEntry] = {}
        self._lock = threading.Lock()

    def append(self, entry: AuditEntry) -> None:
        with self._lock:
            if entry.id in self.entries:
                raise Conflict(f"Audit entry {entry.id} exists; entries are never overwritten.")
            self.entries[entry.id] = entry

    def _range(self, org_id: str | None, query: AuditQuery, low: datetime, below: str, want: int) -> Slice:
        bottom = floor_id(low)
        found: list[AuditEntry] = []
        for entry in sorted(self.entries.values(), key=lambda e: e.id, reverse=True):
            if entry.id > below or entry.id < bottom:
                continue
            if org_id is not None and entry.organization_id != org_id:
                continue
            if query.matches(entry):
                found.append(entry)
                if len(found) == want:
                    return Slice(found, entry.id)
        return Slice(found, None)

    def of_organization(
        self, org_id: str, query: AuditQuery, low: datetime, below: str, want: int, reads: int
    ) -> Slice:
        return self._range(org_id, query, low, below, want)

    def of_platform(self, query: AuditQuery, low: datetime, below: str, want: int, reads: int) -> Slice:
        return self._range(None, query, low, below, want)


class FakeActors:
    def __init__(self, emails: dict[str, str] | None = None) -> None:
        self.emails = dict(emails or {})
        self.asked: list[str] = []

    def email_of(self, user_id: str) -> str | None:
        self.asked.append(user_id)
        return self.emails.get(user_id)
