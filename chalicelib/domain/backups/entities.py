"""Backups: the record of one archive of a container's volumes, its schedule, and the rules they keep."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

BackupStatus = Literal["pending", "completed", "failed"]
Verification = Literal["pending", "verified", "failed"]
RestoreStatus = Literal["restoring", "restored", "failed"]
PENDING: BackupStatus = "pending"
COMPLETED: BackupStatus = "completed"
FAILED: BackupStatus = "failed"

BACKUP_WORKFLOW = "backup"  # functions/registry.py STATE_MACHINES
RESTORE_WORKFLOW = "restore-backup"
METER_KIND = "backup_storage"  # billed per GiB-month of archive, pro-rated by the minute (billing's meters)
MIN_RETENTION = 1
MAX_RETENTION = 100
MAX_VOLUMES = 20
SYSTEM_ACTOR = "system:backups"


@dataclass(frozen=True)
class Backup:
    """One archive of some of a container's volumes (tar, one directory per volume) in object storage."""

    id: str
    organization_id: str
    container_id: str
    container_name: str
    host_id: str
    volumes: tuple[str, ...]  # the container's volume names (as the customer wrote them)
    status: BackupStatus
    status_reason: str | None
    object_key: str
    created_by: str
    created_at: datetime
    updated_at: datetime
    version: int
    schedule: str | None = None  # the cron schedule of the container when this backup was taken
    retention: int | None = None  # keep this many completed backups of the container (None: all)
    scheduled: bool = False  # made by the schedule rather than on request
    size_bytes: int | None = None
    sha256: str | None = None
    encryption: str | None = None  # what object storage says it encrypted the archive with
    completed_at: datetime | None = None
    verification: Verification = "pending"
    verification_reason: str | None = None
    last_verified_at: datetime | None = None  # "last verified restorable"
    files: int | None = None  # regular files in the archive
    restore_status: RestoreStatus | None = None
    restore_reason: str | None = None
    restored_at: datetime | None = None
    restores: int = 0  # restores started (names each restore's execution)
    restore_was_running: bool = False  # the container ran when the restore stopped it: start it again


@dataclass(frozen=True)
class BackupSchedule:
    """A container's backup schedule: a backup at each cron time, keeping `retention` of them."""

    organization_id: str
    container_id: str
    volumes: tuple[str, ...]  # empty: every volume the container has when the backup runs
    cron: str
    retention: int | None
    next_run_at: datetime
    created_by: str
    created_at: datetime
    updated_at: datetime
    version: int
    last_run_at: datetime | None = None
    last_backup_id: str | None = None


@dataclass(frozen=True)
class BackupRequest:
    container_id: str
    volumes: tuple[str, ...] | None = None  # None: all of the container's volumes
    schedule: str | None = None
    retention: int | None = None


@dataclass(frozen=True)
class ArchiveFacts:
    """What was written to (or read back from) object storage."""

    size_bytes: int
    sha256: str
    encryption: str | None = None


def object_key(org_id: str, container_id: str, backup_id: str) -> str:
    """Archives live under their organization's prefix in the backup bucket."""
    return f"backups/{org_id}/{container_id}/{backup_id}.tar"
