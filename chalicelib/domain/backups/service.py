"""What an organization does with its backups: take one (now, and on a schedule), read, restore, delete."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime

from chalicelib.domain.backups.cron import parse_cron
from chalicelib.domain.backups.entities import (
    BACKUP_WORKFLOW,
    COMPLETED,
    FAILED,
    MAX_RETENTION,
    MIN_RETENTION,
    PENDING,
    RESTORE_WORKFLOW,
    Backup,
    BackupRequest,
    BackupSchedule,
    object_key,
)
from chalicelib.domain.backups.ports import ArchiveStore, Backups, ContainerReads
from chalicelib.domain.containers.entities import Container
from chalicelib.domain.shared.audit import AuditEvent, AuditTrail, NoAudit
from chalicelib.domain.shared.clock import Clock, utcnow
from chalicelib.domain.shared.errors import Conflict, NotFound, ServiceUnavailable, ValidationFailed
from chalicelib.domain.shared.ids import new_ulid
from chalicelib.domain.shared.paging import Page
from chalicelib.domain.shared.principal import Principal
from chalicelib.domain.shared.workflows import Workflows

log = logging.getLogger(__name__)


def chosen_volumes(container: Container, wanted: tuple[str, ...] | None) -> tuple[str, ...]:
    """The volumes to archive: those asked for (each one the container's), else all it has."""
    names = tuple(v.name for v in container.volumes)
    if wanted is None or not wanted:
        if not names:
            raise Conflict(
                f"Container {container.name!r} has no volumes to back up.", details={"field": "volumes"}
            )
        return names
    unknown = sorted(set(wanted) - set(names))
    if unknown:
        raise ValidationFailed(
            f"Container {container.name!r} has no volume {unknown[0]!r}.",
            details={"field": "volumes", "volumes": unknown},
        )
    if len(set(wanted)) != len(wanted):
        raise ValidationFailed("A volume is named twice.", details={"field": "volumes"})
    return tuple(wanted)


def check_retention(retention: int | None) -> None:
    if retention is not None and not MIN_RETENTION <= retention <= MAX_RETENTION:
        raise ValidationFailed(
            f"retention must be between {MIN_RETENTION} and {MAX_RETENTION}.", details={"field": "retention"}
        )


class BackupService:
    """The caller organization's backups. Raises NotFound, Conflict, ValidationFailed, ServiceUnavailable."""

    audit: AuditTrail = NoAudit()

    def __init__(
        self,
        backups: Backups,
        containers: ContainerReads,
        archives: ArchiveStore,
        workflows: Workflows,
        *,
        clock: Clock = utcnow,
    ) -> None:
        self._backups = backups
        self._containers = containers
        self._archives = archives
        self._workflows = workflows
        self._clock = clock

    def page(self, p: Principal, limit: int, cursor: str | None) -> Page[Backup]:
        return self._backups.page(p.organization_id, limit, cursor)

    def get(self, p: Principal, backup_id: str) -> Backup:
        return self._backups.get(p.organization_id, backup_id)

    def schedules(self, p: Principal, limit: int, cursor: str | None) -> Page[BackupSchedule]:
        return self._backups.schedules(p.organization_id, limit, cursor)

    def stop_schedule(self, p: Principal, container_id: str) -> None:
        """No more scheduled backups of the container (the backups taken stay)."""
        schedule = self._backups.schedule(p.organization_id, container_id)
        if schedule is None:
            raise NotFound(f"Container {container_id} has no backup schedule.")
        self._backups.delete_schedule(schedule)
        self.audit.record(
            AuditEvent(
                "backup.schedule_stopped",
                p.user_id,
                p.organization_id,
                "container",
                container_id,
                before={"schedule": schedule.cron, "retention": schedule.retention},
            )
        )

    def create(self, p: Principal, req: BackupRequest) -> Backup:
        """Record a pending backup of the container's volumes and start the backup workflow (async).

        With `schedule`, the container's schedule is set too (replacing one it had): a backup at each time.
        """
        check_retention(req.retention)
        cron = parse_cron(req.schedule) if req.schedule is not None else None
        container = self._containers.get(p.organization_id, req.container_id)
        volumes = chosen_volumes(container, req.volumes)
        now = self._clock()
        schedule = (
            BackupSchedule(
                organization_id=p.organization_id,
                container_id=container.id,
                volumes=tuple(req.volumes or ()),
                cron=cron.expression,
                retention=req.retention,
                next_run_at=cron.next_after(now),
                created_by=p.user_id,
                created_at=now,
                updated_at=now,
                version=1,
            )
            if cron is not None
            else None
        )
        backup = self.new_backup(
            p.organization_id, p.user_id, container, volumes, now, req.retention, schedule
        )
        self._backups.create(backup, schedule)
        return self.launch(backup)

    def new_backup(
        self,
        org_id: str,
        actor: str,
        container: Container,
        volumes: tuple[str, ...],
        now: datetime,
        retention: int | None,
        schedule: BackupSchedule | None,
        *,
        scheduled: bool = False,
    ) -> Backup:
        if container.host_id is None:
            raise Conflict(
                f"Container {container.name!r} is not placed on a host; deploy it first.",
                details={"field": "container_id", "status": container.status},
            )
        backup_id = new_ulid()
        return Backup(
            id=backup_id,
            organization_id=org_id,
            container_id=container.id,
            container_name=container.name,
            host_id=container.host_id,
            volumes=volumes,
            status=PENDING,
            status_reason=None,
            object_key=object_key(org_id, container.id, backup_id),
            created_by=actor,
            created_at=now,
            updated_at=now,
            version=1,
            schedule=schedule.cron if schedule else None,
            retention=retention,
            scheduled=scheduled,
        )

    def launch(self, backup: Backup) -> Backup:
        """Start the backup workflow (named after the backup: twice is once); mark it failed if it cannot."""
        try:
            self._workflows.start(
                BACKUP_WORKFLOW,
                backup.id,
                {"organization_id": backup.organization_id, "backup_id": backup.id},
            )
        except ServiceUnavailable:
            failed = replace(
                backup,
                status=FAILED,
                status_reason="The backup could not be started; try again.",
                version=backup.version + 1,
                updated_at=self._clock(),
            )
            self._backups.update(backup, failed)
            raise
        return backup

    def restore(self, p: Principal, backup_id: str) -> Backup:
        """Put the archive back into the container's volumes: stop, restore, start (async, a workflow)."""
        backup = self._backups.get(p.organization_id, backup_id, consistent=True)
        if backup.status != COMPLETED:
            raise Conflict(
                f"Only a completed backup can be restored; this one is {backup.status}.",
                details={"status": backup.status},
            )
        if backup.restore_status == "restoring":
            raise Conflict("This backup is being restored already.", details={"restore_status": "restoring"})
        now = self._clock()
        restoring = replace(
            backup,
            restore_status="restoring",
            restore_reason=None,
            restores=backup.restores + 1,
            restore_was_running=False,
            version=backup.version + 1,
            updated_at=now,
        )
        self._backups.update(backup, restoring)
        self.audit.record(
            AuditEvent(
                "backup.restored",
                p.user_id,
                p.organization_id,
                "backup",
                backup.id,
                after={"container_id": backup.container_id, "volumes": list(backup.volumes)},
            )
        )
        try:
            self._workflows.start(
                RESTORE_WORKFLOW,
                f"{backup.id}-restore-{restoring.restores}",
                {"organization_id": backup.organization_id, "backup_id": backup.id},
            )
        except ServiceUnavailable:
            self._backups.update(
                restoring,
                replace(
                    restoring,
                    restore_status="failed",
                    restore_reason="The restore could not be started; try again.",
                    version=restoring.version + 1,
                ),
            )
            raise
        return restoring

    def delete(self, p: Principal, backup_id: str) -> None:
        """Remove the archive and the record (its storage stops being billed)."""
        backup = self._backups.get(p.organization_id, backup_id, consistent=True)
        if backup.status == PENDING:
            raise Conflict(
                "The backup is still being taken; delete it once it finished.", details={"status": PENDING}
            )
        if backup.restore_status == "restoring":
            raise Conflict("The backup is being restored; delete it once that finished.")
        self._archives.delete(backup.object_key)
        self._backups.delete(backup)
        self.audit.record(
            AuditEvent(
                "backup.deleted",
                p.user_id,
                p.organization_id,
                "backup",
                backup.id,
                before={"container_id": backup.container_id, "size_bytes": backup.size_bytes},
            )
        )
