"""Scheduled: bring container records in line with what each engine reports."""

from __future__ import annotations

from typing import Any

from chalicelib import wiring
from chalicelib.domain.errors import ServiceUnavailable
from chalicelib.observability import logger


def handler(event: dict[str, Any] | None = None, context: Any = None) -> dict[str, Any]:
    """Reconcile every registered host; an unreachable host is reported and skipped."""
    from chalicelib.store.repositories import HostRepository

    totals = {"hosts": 0, "changed": 0, "orphans_removed": 0, "unreachable": 0}
    service = wiring.get_containers()
    wiring.settings()
    for host in HostRepository().list_all():
        try:
            result = service.reconcile_host(host)
        except ServiceUnavailable:
            logger.warning("host unreachable during reconciliation", extra={"host_id": host.id})
            totals["unreachable"] += 1
            continue
        totals["hosts"] += 1
        totals["changed"] += result["changed"]
        totals["orphans_removed"] += result["orphans_removed"]
    return totals
