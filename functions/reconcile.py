"""Scheduled: bring container records in line with what each engine reports."""

from __future__ import annotations

from typing import Any

from chalicelib import wiring


def handler(event: dict[str, Any] | None = None, context: Any = None) -> dict[str, int]:
    """Reconcile every registered host (EventBridge schedule; a timer in the local stack)."""
    return wiring.get_containers().reconcile()
