"""In-memory fakes of the backup ports: records and schedules, the containers they read, archives."""

from __future__ import annotations

from datetime import datetime
from typing import BinaryIO

from chalicelib.domain.backups.archive import facts_of
from chalicelib.domain.backups.entities import ArchiveFacts, Backup, BackupSchedule
from chalicelib.domain.containers.entities import Container
from chalicelib.domain.shared.errors import Conflict, NotFound
from chalicelib.domain.shared.paging import Page


class FakeBackups:
    def __init__(self) -> None:
        self.items: dict[tuple[str, str], Backup] = {}
        self.plans: dict[tuple[str, str], BackupSchedule] = {}
        self.meters: dict[str, int] = {}  # backup id -> billed bytes (completed, not deleted)

    def create(self, backup: Backup, schedule: BackupSchedule | None) -> None:
        if (backup.organization_id, backup.id) in self.items:
            raise Conflict("A backup with this id exists already.")
        self.items[(backup.organization_id, backup.id)] = backup
        if schedule is not None:
            self.plans[(schedule.organization_id, schedule.container_id)] = schedule

    def get(self, org_id: str, backup_id: str, *, consistent: bool = False) -> Backup:
        if (org_id, backup_id) not in self.items:
            raise NotFound(f"Backup {backup_id} was not found.")
        return self.items[(org_id, backup_id)]

    def page(self, org_id: str, limit: int, cursor: str | None) -> Page[Backup]:
        mine = sorted(
            (b for (o, _), b in self.items.items() if o == org_id), key=lambda b: b.id, reverse=True
        )
        return Page(mine[:limit], None)

    def of_container(self, org_id: str, container_id: str) -> list[Backup]:
        return [b for b in self.page(org_id, 1000, None).items if b.container_id == container_id]

    def update(self, old: Backup, new: Backup) -> None:
        if self.items.get((old.organization_id, old.id), None) != old:
            raise Conflict("The backup changed meanwhile; read it again.")
        self.items[(new.organization_id, new.id)] = new

    def complete(self, old: Backup, new: Backup) -> None:
        self.update(old, new)
        self.meters[new.id] = new.size_bytes or 0

    def delete(self, backup: Backup) -> None:
        if self.items.get((backup.organization_id, backup.id)) != backup:
            raise Conflict("The backup changed meanwhile; read it again.")
        del self.items[(backup.organization_id, backup.id)]
        self.meters.pop(backup.id, None)

    def schedule(self, org_id: str, container_id: str) -> BackupSchedule | None:
        return self.plans.get((org_id, container_id))

    def schedules(self, org_id: str, limit: int, cursor: str | None) -> Page[BackupSchedule]:
        mine = sorted((s for (o, _), s in self.plans.items() if o == org_id), key=lambda s: s.container_id)
        return Page(mine[:limit], None)

    def due_schedules(self, now: datetime, limit: int) -> list[BackupSchedule]:
        due = sorted((s for s in self.plans.values() if s.next_run_at <= now), key=lambda s: s.next_run_at)
        return due[:limit]

    def save_schedule(self, old: BackupSchedule, new: BackupSchedule) -> None:
        current = self.plans.get((old.organization_id, old.container_id))
        if current is None or current.version != old.version:
            raise Conflict("The schedule changed meanwhile.")
        self.plans[(new.organization_id, new.container_id)] = new

    def delete_schedule(self, schedule: BackupSchedule) -> None:
        self.plans.pop((schedule.organization_id, schedule.container_id), None)


class FakeContainerReads:
    """The container store as the backup service reads it (get only)."""

    def __init__(self, *containers: Container) -> None:
        self.items = {(c.organization_id, c.id): c for c in containers}

    def get(self, org_id: str, container_id: str, *, consistent: bool = False) -> Container:
        if (org_id, container_id) not in self.items:
            raise NotFound(f"Container {container_id} was not found.")
        return self.items[(org_id, container_id)]


class FakeArchives:
    def __init__(self) -> None:
        self.objects: dict[str, bytes] = {}

    def put(self, key: str, source: BinaryIO, facts: ArchiveFacts) -> str | None:
        source.seek(0)
        self.objects[key] = source.read()
        return "aws:kms"

    def fetch(self, key: str, into: BinaryIO) -> ArchiveFacts:
        if key not in self.objects:
            raise NotFound("The backup's archive is not in storage.")
        into.seek(0)
        into.truncate()
        into.write(self.objects[key])
        facts = facts_of(into)
        into.seek(0)
        return ArchiveFacts(facts.size_bytes, facts.sha256, "aws:kms")

    def delete(self, key: str) -> None:
        self.objects.pop(key, None)
