"""The mail schedule: deliver the support outbox (every minute; locally also right after each request)."""

from __future__ import annotations

from typing import Any

from chalicelib.observability import metrics
from chalicelib.wiring.support import get_mail_delivery
from functions.handler import lambda_handler
from functions.schedule import ScheduledEvent


@lambda_handler(ScheduledEvent)
def deliver(event: ScheduledEvent) -> dict[str, Any]:
    report = get_mail_delivery().deliver_due()
    metrics.add_metric(name="MailSent", unit="Count", value=report.emails)
    metrics.add_metric(name="MailDeferred", unit="Count", value=report.deferred)
    return {
        "delivered": report.delivered,
        "deferred": report.deferred,
        "emails": report.emails,
        "skipped": report.skipped,
    }
