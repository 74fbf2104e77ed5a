"""Task handlers of the provision-container state machine (containers/provision_container.asl.json).

Each handler is idempotent: it re-reads the record and acts only for the generation it was started
for. Errors propagate with their class name as the Step Functions error (Retry/Catch match on it).
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, ConfigDict

from chalicelib.observability import task_logger as logger
from chalicelib.wiring.containers import get_provisioner
from functions.handler import lambda_handler


class Created(BaseModel):
    engine_ids: list[str] = []
    superseded: bool = False


class ProvisionEvent(BaseModel):
    """The state's input: the execution input plus what earlier states added under their ResultPath."""

    model_config = ConfigDict(extra="ignore")

    organization_id: str
    container_id: str
    generation: int
    created: Created | None = None
    error: dict[str, Any] | None = None


@lambda_handler(ProvisionEvent)
def create_engine_containers(event: ProvisionEvent) -> dict[str, Any]:
    """Create and start the engine containers for the record's current configuration."""
    logger.append_keys(organization_id=event.organization_id, container_id=event.container_id)
    engine_ids = get_provisioner().converge(event.organization_id, event.container_id, event.generation)
    return Created(engine_ids=engine_ids or [], superseded=engine_ids is None).model_dump()


@lambda_handler(ProvisionEvent)
def mark_running(event: ProvisionEvent) -> dict[str, Any]:
    created = event.created or Created()
    if not created.superseded:
        get_provisioner().mark_running(
            event.organization_id, event.container_id, event.generation, created.engine_ids
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


@lambda_handler(ProvisionEvent)
def clean_up_failure(event: ProvisionEvent) -> dict[str, Any]:
    """Compensation: remove what was created on the engine and mark the record `error`."""
    reason = failure_reason(event.error)
    logger.warning("provisioning failed", extra={"container_id": event.container_id, "reason": reason})
    get_provisioner().fail(event.organization_id, event.container_id, event.generation, reason)
    return {"reason": reason}
