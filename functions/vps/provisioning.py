"""Task handlers of the provision-vps and delete-vps state machines (statemachines/vps/).

Each handler is idempotent (the provisioner re-reads the record; money and instances are keyed by the VPS
id). Errors propagate with their class name as the Step Functions error: the definitions retry the
transient ones (ProviderUnavailable, StoreUnavailable, ...) and catch the rest into compensation.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, ConfigDict

from chalicelib.observability import task_logger as logger
from chalicelib.wiring.vps import get_vps_provisioner
from functions.handler import lambda_handler

# Errors whose message is written for the customer (domain errors); anything else is a fault of ours.
READABLE_ERRORS = frozenset(
    {
        "ProviderRejected",
        "ProviderAuthFailed",
        "ProviderUnavailable",
        "ProvisioningTimedOut",
        "InstanceVanished",
        "InsufficientFunds",
        "PaymentRequired",
        "ValidationFailed",
        "Conflict",
        "NotFound",
        "ServiceUnavailable",
        "StoreUnavailable",
    }
)
OUR_FAULT = "Something went wrong on our side ({error}); nothing is left running and the hold was given back."
PROVIDER_FAULT = {
    "ProviderAuthFailed": "The provider refused our request; nothing is left running and the hold was given "
    "back.",
}


class VpsTask(BaseModel):
    """The state's input: the execution input plus what earlier states added under their ResultPath."""

    model_config = ConfigDict(extra="ignore")

    organization_id: str
    vps_id: str
    error: dict[str, Any] | None = None


def failure_reason(error: Any) -> str:
    """What the customer reads from a Catch's error object ({"Error", "Cause"})."""
    if not isinstance(error, dict):
        return "The VPS could not be created."
    name = str(error.get("Error") or "unknown error")
    if name in PROVIDER_FAULT:
        return PROVIDER_FAULT[name]
    if name not in READABLE_ERRORS:
        return OUR_FAULT.format(error=name)
    cause = error.get("Cause")
    message = ""
    if isinstance(cause, str):
        try:
            parsed = json.loads(cause)
        except ValueError:
            parsed = None
        message = str(parsed.get("errorMessage") or "") if isinstance(parsed, dict) else cause
    return message.strip() or OUR_FAULT.format(error=name)


def _keys(event: VpsTask) -> None:
    logger.append_keys(organization_id=event.organization_id, vps_id=event.vps_id)


@lambda_handler(VpsTask)
def reserve(event: VpsTask) -> dict[str, Any]:
    _keys(event)
    get_vps_provisioner().reserve(event.organization_id, event.vps_id)
    return {"ok": True}


@lambda_handler(VpsTask)
def create_instance(event: VpsTask) -> dict[str, Any]:
    _keys(event)
    return {"instance_id": get_vps_provisioner().create_instance(event.organization_id, event.vps_id)}


@lambda_handler(VpsTask)
def check_instance(event: VpsTask) -> dict[str, Any]:
    _keys(event)
    return {"running": get_vps_provisioner().is_running(event.organization_id, event.vps_id)}


@lambda_handler(VpsTask)
def mark_running(event: VpsTask) -> dict[str, Any]:
    _keys(event)
    get_vps_provisioner().mark_running(event.organization_id, event.vps_id)
    return {"ok": True}


@lambda_handler(VpsTask)
def remove_created(event: VpsTask) -> dict[str, Any]:
    """Compensation: delete whatever the provider has under the VPS's tag."""
    _keys(event)
    return {"deleted": get_vps_provisioner().remove_created(event.organization_id, event.vps_id)}


@lambda_handler(VpsTask)
def fail(event: VpsTask) -> dict[str, Any]:
    """Compensation: give the hold back and mark the record `error` with a reason the customer can read."""
    _keys(event)
    reason = failure_reason(event.error)
    if event.error and str(event.error.get("Error")) in READABLE_ERRORS:
        reason = f"The VPS could not be created: {reason.rstrip('.')}. The hold was given back."
    logger.warning("VPS provisioning failed", extra={"reason": reason})
    get_vps_provisioner().fail(event.organization_id, event.vps_id, reason)
    return {"reason": reason}


@lambda_handler(VpsTask)
def delete_instance(event: VpsTask) -> dict[str, Any]:
    _keys(event)
    return {"deleted": get_vps_provisioner().delete_instance(event.organization_id, event.vps_id)}


@lambda_handler(VpsTask)
def check_deleted(event: VpsTask) -> dict[str, Any]:
    _keys(event)
    return {"gone": get_vps_provisioner().is_deleted(event.organization_id, event.vps_id)}


@lambda_handler(VpsTask)
def delete_failed(event: VpsTask) -> dict[str, Any]:
    _keys(event)
    reason = failure_reason(event.error)
    get_vps_provisioner().delete_failed(event.organization_id, event.vps_id, reason)
    return {"reason": reason}
