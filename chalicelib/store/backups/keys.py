"""Key strings of the backup records (the backups slice of store/keys.py's grammar)."""

from __future__ import annotations

BACKUP_PREFIX = "BACKUP#"
SCHEDULE_PREFIX = "BACKUPSCHEDULE#"
SCHEDULES_GSI_PK = "BACKUPSCHEDULES"


def backup_sk(backup_id: str) -> str:
    return f"{BACKUP_PREFIX}{backup_id}"


def schedule_sk(container_id: str) -> str:
    return f"{SCHEDULE_PREFIX}{container_id}"


def schedule_gsi_sk(next_run_iso: str, org_id: str, container_id: str) -> str:
    return f"{next_run_iso}#{org_id}#{container_id}"
