"""Task handlers of the backup and restore-backup state machines (statemachines/backups/*.asl.json).

Each handler re-reads the backup record and acts only when the record says its work is not done yet, so a
retried task does nothing twice. Errors propagate with their class name as the Step Functions error.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from chalicelib.domain.backups.entities import ArchiveFacts
from chalicelib.observability import task_logger as logger
from chalicelib.wiring.backups import get_backup_runner, get_restore_steps
from functions.containers.provisioning import failure_reason
from functions.handler import lambda_handler


class Written(BaseModel):
    size_bytes: int = 0
    sha256: str = ""
    encryption: str | None = None
    skipped: bool = False


class BackupEvent(BaseModel):
    """The state's input: the execution input plus what earlier states added under their ResultPath."""

    model_config = ConfigDict(extra="ignore")

    organization_id: str
    backup_id: str
    written: Written | None = None
    error: dict[str, Any] | None = None


def _keys(event: BackupEvent) -> None:
    logger.append_keys(organization_id=event.organization_id, backup_id=event.backup_id)


@lambda_handler(BackupEvent)
def archive(event: BackupEvent) -> dict[str, Any]:
    """Archive the container's volumes from its host into object storage."""
    _keys(event)
    facts = get_backup_runner().archive(event.organization_id, event.backup_id)
    if facts is None:
        return Written(skipped=True).model_dump()
    return Written(size_bytes=facts.size_bytes, sha256=facts.sha256, encryption=facts.encryption).model_dump()


@lambda_handler(BackupEvent)
def confirm(event: BackupEvent) -> dict[str, Any]:
    """Read the archive back and complete the backup only when its size and SHA-256 match."""
    _keys(event)
    written = event.written or Written(skipped=True)
    if written.skipped:
        return {"completed": False}
    done = get_backup_runner().confirm(
        event.organization_id,
        event.backup_id,
        ArchiveFacts(written.size_bytes, written.sha256, written.encryption),
    )
    return {"completed": done}


@lambda_handler(BackupEvent)
def verify(event: BackupEvent) -> dict[str, Any]:
    """Restore the new archive into throwaway volumes and record whether every file came back."""
    _keys(event)
    return {"verified": get_backup_runner().verify(event.organization_id, event.backup_id)}


@lambda_handler(BackupEvent)
def fail(event: BackupEvent) -> dict[str, Any]:
    """Compensation: remove a partial archive and mark the backup failed with a reason."""
    _keys(event)
    reason = failure_reason(event.error)
    logger.warning("backup failed", extra={"reason": reason})
    get_backup_runner().fail(event.organization_id, event.backup_id, reason)
    return {"reason": reason}


@lambda_handler(BackupEvent)
def restore_stop(event: BackupEvent) -> dict[str, Any]:
    _keys(event)
    return {"was_running": get_restore_steps().stop(event.organization_id, event.backup_id)}


@lambda_handler(BackupEvent)
def restore_put(event: BackupEvent) -> dict[str, Any]:
    _keys(event)
    get_restore_steps().put_back(event.organization_id, event.backup_id)
    return {"ok": True}


@lambda_handler(BackupEvent)
def restore_start(event: BackupEvent) -> dict[str, Any]:
    _keys(event)
    get_restore_steps().start(event.organization_id, event.backup_id)
    return {"ok": True}


@lambda_handler(BackupEvent)
def restore_fail(event: BackupEvent) -> dict[str, Any]:
    _keys(event)
    reason = failure_reason(event.error)
    logger.warning("restore failed", extra={"reason": reason})
    get_restore_steps().fail(event.organization_id, event.backup_id, reason)
    return {"reason": reason}
