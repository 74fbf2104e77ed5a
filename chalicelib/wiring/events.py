"""What every capability reports to: the notifier (in-app notifications, webhooks) and the audit trail."""

from __future__ import annotations

from chalicelib.domain.shared.audit import AuditTrail
from chalicelib.domain.shared.notices import Notifier
from chalicelib.wiring import component


@component
def notifier() -> Notifier:
    """The notification center: in-app notifications and signed webhook deliveries (never raises)."""
    from chalicelib.wiring.notifications import notification_center

    return notification_center()


@component
def audit_trail() -> AuditTrail:
    from chalicelib.wiring.audit import get_audit

    return get_audit()
