"""Scheduled every minute: collect container metrics, then evaluate the alert rules."""

from __future__ import annotations

from chalicelib.wiring.monitoring import get_collector, get_evaluator
from functions.handler import lambda_handler
from functions.schedule import ScheduledEvent


@lambda_handler(ScheduledEvent)
def collect(event: ScheduledEvent) -> dict[str, int]:
    """One sample of every running container (EventBridge schedule; a timer in the local stack)."""
    return get_collector().collect().figures()


@lambda_handler(ScheduledEvent)
def evaluate(event: ScheduledEvent) -> dict[str, int]:
    """Every alert rule against the latest samples: fire and resolve alert events."""
    return get_evaluator().evaluate()
