"""Webhook delivery: every minute whatever is due (retries included), and new deliveries right away."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from chalicelib.domain.notifications.entities import DeliveryRef
from chalicelib.wiring.notifications import get_dispatcher
from functions.handler import lambda_handler
from functions.schedule import ScheduledEvent


class RefIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    organization_id: str
    endpoint_id: str
    delivery_id: str
    queue_key: str


class DeliverEvent(BaseModel):
    """What the API and the workflows send (an asynchronous invocation) for deliveries they just queued."""

    deliveries: list[RefIn]


@lambda_handler(ScheduledEvent)
def deliver_due(event: ScheduledEvent) -> dict[str, int]:
    """Attempt every delivery that is due (EventBridge schedule; a timer in the local stack)."""
    return get_dispatcher().deliver_due()


@lambda_handler(DeliverEvent)
def deliver(event: DeliverEvent) -> dict[str, int]:
    """Attempt the deliveries named in the event now (each is claimed first, so none is sent twice)."""
    return get_dispatcher().deliver([DeliveryRef(**ref.model_dump()) for ref in event.deliveries])
