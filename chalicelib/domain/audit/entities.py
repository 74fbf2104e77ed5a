"""The audit trail's records: who did what to what, when, from which address, with the state before and after.

Entries are append-only: written once under a new ULID (which sorts by time) and never changed or removed.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

# What the platform records (other capabilities may add their own dotted actions; these are the ones the
# admin area offers as filters). Descriptions are for people reading the trail.
ACTIONS: dict[str, str] = {
    "user.registered": "An account was created",
    "auth.login": "Signed in",
    "auth.login_failed": "A sign-in with a wrong password",
    "auth.login_refused": "A correct password for a suspended account",
    "auth.logout": "Signed out (the token was revoked)",
    "auth.password_changed": "Password changed (every older token stopped working)",
    "user.suspended": "An administrator suspended the account",
    "user.unsuspended": "An administrator lifted the account's suspension",
    "user.role_changed": "An administrator changed the platform role",
    "member.role_changed": "A member's role in the organization changed",
    "credentials.changed": "An API key or secret was set, rotated or removed",
    "host.registered": "A container host was registered (with its TLS client key, if any)",
    "host.deleted": "A container host was removed",
    "billing.adjustment": "An administrator credited or debited the wallet by hand",
    "billing.suspended": "Suspended for non-payment: running resources stopped",
    "billing.resumed": "The suspension ended after a top-up: resources started again",
    "billing.terminated": "Resources removed after a long suspension",
    "container.deleted": "A container was deleted",
    "payment_method.deleted": "A saved payment method was removed",
    # Kubernetes clusters (never the token)
    "cluster.registered": "A Kubernetes cluster was registered",
    "cluster.updated": "A Kubernetes cluster was renamed, moved or given a new token or CA",
    "cluster.deleted": "A Kubernetes cluster was removed",
}
ACTION_PATTERN = r"^[a-z][a-z_]*(\.[a-z][a-z_]*)+$"
MAX_ACTION_LENGTH = 64
ANONYMOUS_ACTOR = "anonymous"  # a failed sign-in: nobody has proved who they are
SYSTEM_PREFIX = "system:"  # workflows and schedules, e.g. system:billing
DEFAULT_WINDOW = timedelta(days=30)  # the platform view's default range when `from` is not given
MAX_STATE_CHARS = 4096  # before/after beyond this are cut (the trail is not a backup)
# Keys whose values never enter the trail, however a caller names them.
_SECRET_KEY = re.compile(r"password|secret|token|private|credential|api_?key|client_key", re.IGNORECASE)
REDACTED = "[redacted]"
_EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
_LATEST = datetime(9000, 1, 1, tzinfo=UTC)  # inside the ULID's 48-bit millisecond range


@dataclass(frozen=True)
class AuditEntry:
    id: str  # ULID: the entry's time to the millisecond, then randomness
    at: datetime
    action: str
    actor_id: str
    actor_email: str | None
    organization_id: str | None
    target_type: str | None
    target_id: str | None
    ip: str | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None


@dataclass(frozen=True)
class AuditQuery:
    """Filters of a trail view. `actor` is a user id or an email address; `since`/`until` are inclusive."""

    action: str | None = None
    actor: str | None = None
    organization_id: str | None = None
    since: datetime | None = None
    until: datetime | None = None

    def matches(self, entry: AuditEntry) -> bool:
        if self.action is not None and entry.action != self.action:
            return False
        if self.actor is not None:
            wanted = self.actor.strip().lower()
            if wanted not in (entry.actor_id.lower(), (entry.actor_email or "").lower()):
                return False
        return True

    @property
    def filters(self) -> bool:
        """True when some entries of the range may be left out (so a page reads more than it returns)."""
        return self.action is not None or self.actor is not None


@dataclass(frozen=True)
class Export:
    """A CSV download: at most one bounded chunk; `next_cursor` continues it (None: nothing more)."""

    text: str
    rows: int
    next_cursor: str | None


def utc(moment: datetime) -> datetime:
    """`moment` in UTC (naive means UTC), clamped to the range an entry id can express."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    try:
        moment = moment.astimezone(UTC)
    except OverflowError:
        return _LATEST if moment.year > 1970 else _EARLIEST
    return min(max(moment, _EARLIEST), _LATEST)


def window(query: AuditQuery, now: datetime, default: timedelta | None) -> tuple[datetime, datetime]:
    """The inclusive range a view reads: up to `until` (never past now), from `since` or `default` before."""
    until = min(utc(query.until), now) if query.until is not None else now
    if query.since is not None:
        return utc(query.since), until
    return (until - default if default is not None else _EARLIEST), until


def sanitized(state: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """A JSON-safe copy of a before/after state with secrets redacted and its size bounded."""
    if state is None:
        return None
    clean = {str(k): REDACTED if _SECRET_KEY.search(str(k)) else _plain(v) for k, v in state.items()}
    text = json.dumps(clean, default=str, sort_keys=True)
    if len(text) <= MAX_STATE_CHARS:
        return dict(json.loads(text))
    return {"truncated": text[: MAX_STATE_CHARS - 100]}


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): REDACTED if _SECRET_KEY.search(str(k)) else _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_plain(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


CSV_COLUMNS = (
    "id",
    "at",
    "action",
    "actor_id",
    "actor_email",
    "organization_id",
    "target_type",
    "target_id",
    "ip",
    "before",
    "after",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> str:
    """A CSV cell a spreadsheet shows as text: a value starting like a formula gets a leading quote
    (OWASP CSV injection), because names and emails in the trail are chosen by users."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        text = value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    elif isinstance(value, dict):
        text = json.dumps(value, sort_keys=True, separators=(",", ":"))
    else:
        text = str(value)
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def csv_text(entries: Sequence[AuditEntry]) -> str:
    """The entries as CSV with a header row (RFC 4180, CRLF line ends)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for e in entries:
        writer.writerow(_cell(getattr(e, column)) for column in CSV_COLUMNS)
    return out.getvalue()
