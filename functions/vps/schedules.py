"""Scheduled VPS work: poll the providers' account events; reconcile instances with our records."""

from __future__ import annotations

from typing import Any

from chalicelib.wiring.vps import get_vps_events, get_vps_reconciler
from functions.handler import lambda_handler
from functions.schedule import ScheduledEvent


@lambda_handler(ScheduledEvent)
def poll_events(event: ScheduledEvent) -> dict[str, Any]:
    """Every active provider's new account events since its cursor, applied once each."""
    result = get_vps_events().poll()
    return {"providers": result.providers, "events": result.events, "applied": result.applied}


@lambda_handler(ScheduledEvent)
def reconcile(event: ScheduledEvent) -> dict[str, Any]:
    """Orphans and ghosts per provider, stored and mailed to the administrators."""
    reports = get_vps_reconciler().reconcile()
    return {
        "providers": len(reports),
        "orphans": sum(len(r.orphans) for r in reports),
        "ghosts": sum(len(r.ghosts) for r in reports),
    }
