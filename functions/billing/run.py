"""Task handlers of the billing-run state machine (billing/billing_run.asl.json) and its hourly schedule.

Each batch is idempotent: meters move only if nobody billed them meanwhile, and every charge has its own
idempotency key, so a retried or repeated task charges nothing twice.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from chalicelib.domain.billing.metering import SHARDS
from chalicelib.wiring.billing import get_runner
from functions.handler import lambda_handler
from functions.schedule import ScheduledEvent

ORGS_PER_BATCH = 100


class RunEvent(BaseModel):
    model_config = ConfigDict(extra="ignore")

    run_id: str
    until: datetime


class BatchEvent(RunEvent):
    shard: int
    after: str | None = None


@lambda_handler(ScheduledEvent)
def start_hourly(event: ScheduledEvent) -> dict[str, Any]:
    """EventBridge, hourly: start a run charging up to now."""
    run = get_runner().launch()
    return {"run_id": run.id}


@lambda_handler(RunEvent)
def plan(event: RunEvent) -> dict[str, Any]:
    """One Map item per shard of billable organizations."""
    base = {"run_id": event.run_id, "until": event.until.isoformat()}
    return {**base, "shards": [{**base, "shard": n, "after": None} for n in range(SHARDS)]}


@lambda_handler(BatchEvent)
def bill_batch(event: BatchEvent) -> dict[str, Any]:
    """Charge the next batch of organizations of a shard; `done` ends the shard's loop."""
    result = get_runner().bill_batch(event.run_id, event.until, event.shard, event.after, ORGS_PER_BATCH)
    return {
        "run_id": event.run_id,
        "until": event.until.isoformat(),
        "shard": event.shard,
        "after": result.next_org,
        "done": result.next_org is None,
    }


@lambda_handler(RunEvent)
def finish(event: RunEvent) -> dict[str, Any]:
    run = get_runner().finish(event.run_id)
    return {"run_id": run.id, "organizations": run.organizations, "charged_cents": run.charged_cents}
