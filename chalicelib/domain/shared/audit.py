"""The audit port: an append-only trail of security- and money-relevant actions.

Services record who did what to what, when, from where, with the state before and after. `record` never
raises: losing an audit line is logged loudly, but must not undo the action it describes (the trail's
implementation decides whether an action must be refused when the trail cannot be written)."""

from __future__ import annotations

from collections.abc import Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Protocol

# Where the current request came from (set by the API edge; None in workflows and schedules).
REQUEST_ORIGIN: ContextVar[str | None] = ContextVar("cs_request_origin", default=None)


@dataclass(frozen=True)
class AuditEvent:
    action: str  # dotted, e.g. auth.login, auth.login_failed, member.role_changed, billing.adjustment
    actor_id: str  # a user id, or system:<what> for workflows and schedules
    organization_id: str | None = None  # whose trail it belongs to (None: platform only)
    target_type: str | None = None
    target_id: str | None = None
    before: Mapping[str, Any] | None = None
    after: Mapping[str, Any] | None = None
    ip: str | None = None  # None: taken from REQUEST_ORIGIN


class AuditTrail(Protocol):
    def record(self, event: AuditEvent) -> None: ...


class NoAudit:
    """Records nothing (until the audit capability is wired)."""

    def record(self, event: AuditEvent) -> None:
        return None
