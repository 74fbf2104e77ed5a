"""What the backup service needs: its records, object storage for archives, and volume access on hosts."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import BinaryIO, Protocol

from chalicelib.domain.backups.entities import ArchiveFacts, Backup, BackupSchedule
from chalicelib.domain.containers.entities import Container
from chalicelib.domain.hosts.entities import Host
from chalicelib.domain.shared.errors import DomainError
from chalicelib.domain.shared.paging import Page


class ArchiveCorrupted(DomainError):
    """The archive read back from storage is not the one written: its size or checksum differ."""

    status = 409
    code = "archive_corrupted"


class Backups(Protocol):
    """Backup records and schedules (the organization's partition). Raise NotFound and Conflict."""

    def create(self, backup: Backup, schedule: BackupSchedule | None) -> None:
        """Write the new record (and set the container's schedule, replacing one there): one transaction."""
        ...

    def get(self, org_id: str, backup_id: str, *, consistent: bool = False) -> Backup:
        """Raises NotFound (also for another organization's backup)."""
        ...

    def page(self, org_id: str, limit: int, cursor: str | None) -> Page[Backup]:
        """Newest first. Raises ValidationFailed (field `cursor`) for a cursor not made here."""
        ...

    def of_container(self, org_id: str, container_id: str) -> list[Backup]:
        """Every backup of one container, newest first (workflows, not a request path)."""
        ...

    def update(self, old: Backup, new: Backup) -> None:
        """Write `new` if the record is still at `old.version`; Conflict otherwise."""
        ...

    def complete(self, old: Backup, new: Backup) -> None:
        """As update, and start billing the archive's storage (its meter) in the same transaction."""
        ...

    def delete(self, backup: Backup) -> None:
        """Remove the record (if still at its version) and end its storage meter in one transaction."""
        ...

    def schedule(self, org_id: str, container_id: str) -> BackupSchedule | None: ...

    def schedules(self, org_id: str, limit: int, cursor: str | None) -> Page[BackupSchedule]:
        """The organization's schedules, by container. Raises ValidationFailed (field `cursor`)."""
        ...

    def due_schedules(self, now: datetime, limit: int) -> list[BackupSchedule]:
        """Schedules whose next run is at or before `now`, earliest first (all organizations)."""
        ...

    def save_schedule(self, old: BackupSchedule, new: BackupSchedule) -> None:
        """Write `new` if the schedule is still at `old.version`; Conflict otherwise."""
        ...

    def delete_schedule(self, schedule: BackupSchedule) -> None: ...


class ArchiveStore(Protocol):
    """Archives in object storage, encrypted at rest. Raise ServiceUnavailable when it does not answer."""

    def put(self, key: str, source: BinaryIO, facts: ArchiveFacts) -> str | None:
        """Store `source` (from its start) under `key`; returns the server-side encryption applied."""
        ...

    def fetch(self, key: str, into: BinaryIO) -> ArchiveFacts:
        """Copy the object into `into` and say what was read. Raises NotFound when there is none."""
        ...

    def delete(self, key: str) -> None:
        """No error when it is already gone."""
        ...


VolumeDirs = Sequence[tuple[str, str]]  # (engine volume name, its directory in the archive)


class VolumeArchiver(Protocol):
    """Volume contents on one engine host, through a throwaway helper container (never the customer's).

    Raises EngineUnavailable (transient) and EngineError (a volume that does not exist, a helper that failed).
    """

    def export(self, job: str, labels: Mapping[str, str], volumes: VolumeDirs, into: BinaryIO) -> None:
        """Write a tar of the volumes (backup/<dir>/...) into `into`."""
        ...

    def restore(self, job: str, labels: Mapping[str, str], volumes: VolumeDirs, source: BinaryIO) -> None:
        """Empty each volume, then extract the archive's backup/<dir>/... into it."""
        ...

    def create_volume(self, name: str, labels: Mapping[str, str]) -> None: ...

    def remove_volume(self, name: str) -> None:
        """No error when it is already gone."""
        ...


ArchiverFor = Callable[[Host], VolumeArchiver]


class ContainerControl(Protocol):
    """Stops and starts a customer's container around a restore (the container service's own rules)."""

    def is_running(self, org_id: str, container_id: str) -> bool:
        """Raises NotFound when the container is gone."""
        ...

    def stop(self, org_id: str, container_id: str) -> None: ...

    def start(self, org_id: str, container_id: str) -> None: ...


class BackupAlerts(Protocol):
    """Monitoring's backup_missed alert rules: fired when a scheduled backup of a container is missed or
    fails, resolved when the next one succeeds. Never raises."""

    def missed(self, org_id: str, container_id: str, reason: str) -> None: ...

    def succeeded(self, org_id: str, container_id: str) -> None: ...


class NoBackupAlerts:
    def missed(self, org_id: str, container_id: str, reason: str) -> None:
        return None

    def succeeded(self, org_id: str, container_id: str) -> None:
        return None


class ContainerReads(Protocol):
    """The container store as backups read it: one container of an organization."""

    def get(self, org_id: str, container_id: str, *, consistent: bool = False) -> Container:
        """Raises NotFound (also for another organization's container)."""
        ...
