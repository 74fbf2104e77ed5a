"""Task handlers of the provision-container state machine (statemachines/provision_container.asl.json).

Each handler is idempotent: it re-reads the record and acts only for the generation it was started
for. Errors propagate with their class name as the Step Functions error (Retry/Catch match on it).
"""

from __future__ import annotations

import json
from typing import Any

from chalicelib import wiring
from chalicelib.observability import logger


def _ids(event: dict[str, Any]) -> tuple[str, str, int]:
    return str(event["organization_id"]), str(event["container_id"]), int(event["generation"])


def create_engine_containers(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """Create and start the engine containers for the record's current configuration."""
    org_id, container_id, generation = _ids(event)
    logger.append_keys(organization_id=org_id, container_id=container_id)
    engine_ids = wiring.get_containers().converge(org_id, container_id, generation)
    return {"engine_ids": engine_ids or [], "superseded": engine_ids is None}


def mark_running(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    org_id, container_id, generation = _ids(event)
    created = event.get("created") or {}
    if not created.get("superseded"):
        wiring.get_containers().mark_running(
            org_id, container_id, generation, list(created.get("engine_ids", []))
        )
    return {"ok": True}


def failure_reason(error: Any) -> str:
    """The user-facing reason from a Catch's error object ({"Error", "Cause"})."""
    if not isinstance(error, dict):
        return "Provisioning failed."
    cause = error.get("Cause")
    if isinstance(cause, str):
        try:
            parsed = json.loads(cause)
        except ValueError:
            parsed = None
        if isinstance(parsed, dict) and parsed.get("errorMessage"):
            return str(parsed["errorMessage"])
        if cause.strip():
            return cause
    return f"Provisioning failed ({error.get('Error', 'unknown error')})."


def clean_up_failure(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """Compensation: remove what was created on the engine and mark the record `error`."""
    org_id, container_id, generation = _ids(event)
    reason = failure_reason(event.get("error"))
    logger.warning("provisioning failed", extra={"container_id": container_id, "reason": reason})
    wiring.get_containers().fail(org_id, container_id, generation, reason)
    return {"reason": reason}
