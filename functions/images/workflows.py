"""Task handlers of the load-image and build-image state machines (images/*.asl.json).

Each handler is idempotent: it re-reads the record and acts only while it is loading/building. Errors
propagate with their class name as the Step Functions error (Retry/Catch match on it).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from chalicelib.observability import task_logger as logger
from chalicelib.wiring.images import get_image_worker
from functions.containers.provisioning import failure_reason
from functions.handler import lambda_handler


class ImageEvent(BaseModel):
    model_config = ConfigDict(extra="ignore")

    organization_id: str
    image_id: str
    error: dict[str, Any] | None = None


@lambda_handler(ImageEvent)
def load(event: ImageEvent) -> dict[str, Any]:
    """Load the uploaded tarball onto every host."""
    logger.append_keys(organization_id=event.organization_id, image_id=event.image_id)
    get_image_worker().load(event.organization_id, event.image_id)
    return {"ok": True}


@lambda_handler(ImageEvent)
def build(event: ImageEvent) -> dict[str, Any]:
    """Build on one host (keeping the log), then copy the image to the others."""
    logger.append_keys(organization_id=event.organization_id, image_id=event.image_id)
    get_image_worker().build(event.organization_id, event.image_id)
    return {"ok": True}


@lambda_handler(ImageEvent)
def fail(event: ImageEvent) -> dict[str, Any]:
    """Compensation: remove what the run put on hosts; the record says why it failed."""
    reason = failure_reason(event.error).replace("Provisioning failed", "The image could not be prepared")
    logger.warning("image workflow failed", extra={"image_id": event.image_id, "reason": reason})
    get_image_worker().fail(event.organization_id, event.image_id, reason)
    return {"reason": reason}
