"""Scheduled backups: start those that are due, say when one was missed, and move each schedule on."""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import timedelta

from chalicelib.domain.backups.cron import parse_cron
from chalicelib.domain.backups.entities import SYSTEM_ACTOR, BackupSchedule
from chalicelib.domain.backups.ports import BackupAlerts, Backups, ContainerReads, NoBackupAlerts
from chalicelib.domain.backups.service import BackupService, chosen_volumes
from chalicelib.domain.shared.clock import Clock, utcnow
from chalicelib.domain.shared.errors import Conflict, DomainError, NotFound, ServiceUnavailable
from chalicelib.domain.shared.notices import Notice, Notifier

log = logging.getLogger(__name__)
MISSED_AFTER = timedelta(minutes=10)  # a schedule this late when the scheduler sees it was missed
BATCH = 100


@dataclass(frozen=True)
class ScheduleRun:
    started: int
    missed: int
    failed: int


class BackupScheduler:
    """Runs every minute: each due schedule starts one backup and moves to its next time."""

    def __init__(
        self,
        backups: Backups,
        containers: ContainerReads,
        service: BackupService,
        notifier: Notifier,
        *,
        alerts: BackupAlerts | None = None,
        clock: Clock = utcnow,
    ) -> None:
        self._alerts = alerts or NoBackupAlerts()
        self._backups = backups
        self._containers = containers
        self._service = service
        self._notifier = notifier
        self._clock = clock

    def run_due(self) -> ScheduleRun:
        now = self._clock()
        started = missed = failed = 0
        for schedule in self._backups.due_schedules(now, BATCH):
            cron = parse_cron(schedule.cron)
            moved = replace(
                schedule,
                next_run_at=cron.next_after(now),
                last_run_at=now,
                updated_at=now,
                version=schedule.version + 1,
            )
            try:
                self._backups.save_schedule(schedule, moved)  # claims this run: a racing scheduler skips it
            except (Conflict, NotFound):
                continue
            if now - schedule.next_run_at > MISSED_AFTER:
                missed += 1
                self._alerts.missed(
                    schedule.organization_id,
                    schedule.container_id,
                    f"The backup due at {schedule.next_run_at:%Y-%m-%d %H:%M} UTC did not run on time.",
                )
                self._tell(
                    schedule,
                    "backup.missed",
                    "A scheduled backup was missed",
                    f"The backup due at {schedule.next_run_at:%Y-%m-%d %H:%M} UTC did not run on time; "
                    "one is taken now.",
                )
            try:
                backup_id = self._start(schedule)
            except ServiceUnavailable:
                raise
            except DomainError as exc:
                failed += 1
                self._alerts.missed(
                    schedule.organization_id,
                    schedule.container_id,
                    f"A scheduled backup could not start: {exc.message}",
                )
                self._tell(schedule, "backup.failed", "A scheduled backup could not start", exc.message)
                if isinstance(exc, NotFound):  # the container is gone: so is its schedule
                    self._backups.delete_schedule(moved)
                continue
            self._save_last(moved, backup_id)
            started += 1
        return ScheduleRun(started, missed, failed)

    def _start(self, schedule: BackupSchedule) -> str:
        container = self._containers.get(schedule.organization_id, schedule.container_id)
        volumes = chosen_volumes(container, schedule.volumes or None)
        backup = self._service.new_backup(
            schedule.organization_id,
            SYSTEM_ACTOR,
            container,
            volumes,
            self._clock(),
            schedule.retention,
            schedule,
            scheduled=True,
        )
        self._backups.create(backup, None)
        self._service.launch(backup)
        return backup.id

    def _save_last(self, schedule: BackupSchedule, backup_id: str) -> None:
        try:
            self._backups.save_schedule(
                schedule, replace(schedule, last_backup_id=backup_id, version=schedule.version + 1)
            )
        except (Conflict, NotFound):
            log.info("schedule of %s changed meanwhile", schedule.container_id)

    def _tell(self, schedule: BackupSchedule, kind: str, title: str, body: str) -> None:
        self._notifier.notify(
            Notice(
                organization_id=schedule.organization_id,
                kind=kind,
                title=title,
                body=body,
                resource_type="container",
                resource_id=schedule.container_id,
                data={"container_id": schedule.container_id, "schedule": schedule.cron},
            )
        )
