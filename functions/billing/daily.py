"""Daily billing schedules: reconcile yesterday with PayPal; issue last month's invoices still due."""

from __future__ import annotations

from typing import Any

from chalicelib.wiring.billing import get_invoicing, get_reconciler
from functions.handler import lambda_handler
from functions.schedule import ScheduledEvent


@lambda_handler(ScheduledEvent)
def reconcile(event: ScheduledEvent) -> dict[str, Any]:
    report = get_reconciler().run()
    return {"day": report.day, "matched": report.matched, "findings": len(report.findings)}


@lambda_handler(ScheduledEvent)
def issue_invoices(event: ScheduledEvent) -> dict[str, Any]:
    invoicing = get_invoicing()
    period = invoicing.previous_period()
    return {"period": period, "issued": invoicing.issue_due(period)}
