"""What every capability reports to: the notifier (in-app notifications, webhooks) and the audit trail."""

from __future__ import annotations

from chalicelib.domain.shared.audit import AuditTrail
from chalicelib.domain.shared.notices import NoNotifier, Notifier
from chalicelib.wiring import component


@component
def notifier() -> Notifier:
    return NoNotifier()


@component
def audit_trail() -> AuditTrail:
    from chalicelib.wiring.audit import get_audit

    return get_audit()
