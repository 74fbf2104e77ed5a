"""The backup scheduler: every minute, start the backups whose schedule is due."""

from __future__ import annotations

from typing import Any

from chalicelib.observability import task_logger as logger
from chalicelib.wiring.backups import get_backup_scheduler
from functions.handler import lambda_handler
from functions.schedule import ScheduledEvent


@lambda_handler(ScheduledEvent)
def run_due(event: ScheduledEvent) -> dict[str, Any]:
    result = get_backup_scheduler().run_due()
    logger.info("backup schedules", extra={"started": result.started, "missed": result.missed})
    return {"started": result.started, "missed": result.missed, "failed": result.failed}
