"""Scheduled: bring container records in line with what each engine reports."""

from __future__ import annotations

from chalicelib.wiring.containers import get_reconciler
from functions.handler import lambda_handler
from functions.schedule import ScheduledEvent


@lambda_handler(ScheduledEvent)
def handler(event: ScheduledEvent) -> dict[str, int]:
    """Reconcile every registered host (EventBridge schedule; a timer in the local stack)."""
    return get_reconciler().reconcile()
