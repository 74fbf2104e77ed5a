"""Wire models of backups: what a customer sends to take one, and what a backup looks like."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field

from chalicelib.api.wire import NextCursor, Out, Strict
from chalicelib.domain.backups.cron import CRON_PATTERN, MAX_CRON_LENGTH
from chalicelib.domain.backups.entities import (
    MAX_RETENTION,
    MAX_VOLUMES,
    MIN_RETENTION,
    Backup,
    BackupRequest,
    BackupSchedule,
)
from chalicelib.domain.containers.entities import MAX_NAME_LENGTH, NAME_PATTERN

Id = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]
VolumeName = Annotated[str, Field(min_length=1, max_length=MAX_NAME_LENGTH, pattern=NAME_PATTERN)]


class BackupCreateIn(Strict):
    container_id: Id = Field(description="A container of the organization (another is a 404)")
    volumes: list[VolumeName] | None = Field(
        default=None,
        min_length=1,
        max_length=MAX_VOLUMES,
        description="Names of the container's volumes to archive; omitted: all of them",
    )
    schedule: str | None = Field(
        default=None,
        max_length=MAX_CRON_LENGTH,
        pattern=CRON_PATTERN,
        examples=["0 3 * * *"],
        description="Also back up on this five-field cron schedule (UTC); replaces the container's schedule",
    )
    retention: int | None = Field(
        default=None,
        ge=MIN_RETENTION,
        le=MAX_RETENTION,
        description="Keep this many completed backups of the container; older ones are deleted",
    )

    def to_domain(self) -> BackupRequest:
        return BackupRequest(
            container_id=self.container_id,
            volumes=tuple(self.volumes) if self.volumes is not None else None,
            schedule=self.schedule,
            retention=self.retention,
        )


class BackupOut(Out):
    id: str
    organization_id: str
    container_id: str
    container_name: str
    volumes: list[str]
    status: Literal["pending", "completed", "failed"]
    status_reason: str | None = Field(description="Why it failed, for people")
    size_bytes: int | None = Field(description="Size of the archive (null until completed)")
    checksum: str | None = Field(description="sha256:<hex> of the archive, matched after reading it back")
    encryption: str | None = Field(description="Server-side encryption of the stored archive (aws:kms)")
    files: int | None
    schedule: str | None = Field(description="The container's cron schedule when this backup was taken")
    retention: int | None
    scheduled: bool = Field(description="Taken by the schedule (not on request)")
    verification: Literal["pending", "verified", "failed"]
    verification_reason: str | None
    last_verified_at: datetime | None = Field(description="Last verified restorable (a test restore matched)")
    restore_status: Literal["restoring", "restored", "failed"] | None
    restore_reason: str | None
    restored_at: datetime | None
    created_at: datetime
    completed_at: datetime | None
    updated_at: datetime

    @classmethod
    def of(cls, b: Backup) -> BackupOut:
        return cls(
            id=b.id,
            organization_id=b.organization_id,
            container_id=b.container_id,
            container_name=b.container_name,
            volumes=list(b.volumes),
            status=b.status,
            status_reason=b.status_reason,
            size_bytes=b.size_bytes,
            checksum=f"sha256:{b.sha256}" if b.sha256 else None,
            encryption=b.encryption,
            files=b.files,
            schedule=b.schedule,
            retention=b.retention,
            scheduled=b.scheduled,
            verification=b.verification,
            verification_reason=b.verification_reason,
            last_verified_at=b.last_verified_at,
            restore_status=b.restore_status,
            restore_reason=b.restore_reason,
            restored_at=b.restored_at,
            created_at=b.created_at,
            completed_at=b.completed_at,
            updated_at=b.updated_at,
        )


class BackupScheduleOut(Out):
    id: str = Field(description="The schedule's id: its container's id (one schedule per container)")
    container_id: str
    schedule: str = Field(description="Five-field cron, UTC")
    retention: int | None
    volumes: list[str] = Field(description="The volumes backed up; empty: all of the container's")
    next_run_at: datetime
    last_run_at: datetime | None
    last_backup_id: str | None
    created_at: datetime

    @classmethod
    def of(cls, s: BackupSchedule) -> BackupScheduleOut:
        return cls(
            id=s.container_id,
            container_id=s.container_id,
            schedule=s.cron,
            retention=s.retention,
            volumes=list(s.volumes),
            next_run_at=s.next_run_at,
            last_run_at=s.last_run_at,
            last_backup_id=s.last_backup_id,
            created_at=s.created_at,
        )


class BackupScheduleListOut(Out):
    schedules: list[BackupScheduleOut]
    next_cursor: NextCursor


class BackupListOut(Out):
    backups: list[BackupOut]
    next_cursor: NextCursor
