"""The backup and restore workflows' steps, verification and retention (functions/backups/workflow.py).

Every step re-reads the record and does nothing when the record says its work is done (idempotent retries).
Archives pass through a temporary file: hosts -> file -> object storage, and back.
"""

from __future__ import annotations

import logging
import tempfile
from dataclasses import replace
from typing import BinaryIO, cast

from chalicelib.domain.backups.archive import facts_of, file_count, manifest
from chalicelib.domain.backups.entities import COMPLETED, FAILED, PENDING, ArchiveFacts, Backup
from chalicelib.domain.backups.ports import (
    ArchiveCorrupted,
    ArchiverFor,
    ArchiveStore,
    BackupAlerts,
    Backups,
    NoBackupAlerts,
    VolumeArchiver,
)
from chalicelib.domain.containers.naming import LABEL_MANAGED, LABEL_ORG, MANAGED_BY, volume_name
from chalicelib.domain.hosts.ports import Hosts
from chalicelib.domain.shared.clock import Clock, utcnow
from chalicelib.domain.shared.errors import Conflict, DomainError, EngineError, NotFound
from chalicelib.domain.shared.notices import Notice, Notifier

log = logging.getLogger(__name__)
LABEL_BACKUP = "cs.backup"
SPOOL_BYTES = 8 * 1024 * 1024  # archives up to this stay in memory; larger ones go to a temporary file


def spool() -> BinaryIO:
    return cast(BinaryIO, tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES, prefix="cs-backup-"))


def mismatch(expected: ArchiveFacts, got: ArchiveFacts) -> str | None:
    """Why the archive read back is not the one written (None: it is)."""
    if got.size_bytes != expected.size_bytes:
        return f"size {got.size_bytes} bytes, expected {expected.size_bytes}"
    if got.sha256 != expected.sha256:
        return f"SHA-256 {got.sha256[:12]}..., expected {expected.sha256[:12]}..."
    return None


class BackupRunner:
    """Takes, verifies and restores archives; applies retention. Raises what its ports raise."""

    def __init__(
        self,
        backups: Backups,
        hosts: Hosts,
        archiver_for: ArchiverFor,
        archives: ArchiveStore,
        notifier: Notifier,
        *,
        alerts: BackupAlerts | None = None,
        clock: Clock = utcnow,
    ) -> None:
        self._alerts = alerts or NoBackupAlerts()
        self._backups = backups
        self._hosts = hosts
        self._archiver_for = archiver_for
        self._archives = archives
        self._notifier = notifier
        self._clock = clock

    # ------------------------------------------------------------ backup workflow
    def archive(self, org_id: str, backup_id: str) -> ArchiveFacts | None:
        """Archive the volumes from the host into object storage; what was written (None: nothing to do)."""
        backup = self._backups.get(org_id, backup_id, consistent=True)
        if backup.status != PENDING:
            return None
        archiver = self._archiver(backup)
        with spool() as work:
            archiver.export(f"cs-backup-{backup.id}", self._labels(backup), self._dirs(backup), work)
            facts = facts_of(work)
            encryption = self._archives.put(backup.object_key, work, facts)
        return replace(facts, encryption=encryption)

    def confirm(self, org_id: str, backup_id: str, written: ArchiveFacts) -> bool:
        """Read the object back; only when its size and checksum match is the backup completed (and billed).

        Raises ArchiveCorrupted otherwise (the workflow then marks it failed). False: nothing to do.
        """
        backup = self._backups.get(org_id, backup_id, consistent=True)
        if backup.status != PENDING:
            return False
        with spool() as work:
            got = self._archives.fetch(backup.object_key, work)
            wrong = mismatch(written, got)
            if wrong:
                raise ArchiveCorrupted(
                    f"The archive read back from storage differs from the one written ({wrong})."
                )
            files = file_count(manifest(work))
        now = self._clock()
        done = replace(
            backup,
            status=COMPLETED,
            status_reason=None,
            size_bytes=written.size_bytes,
            sha256=written.sha256,
            encryption=got.encryption or written.encryption,
            files=files,
            completed_at=now,
            updated_at=now,
            version=backup.version + 1,
        )
        self._backups.complete(backup, done)
        if backup.scheduled:
            self._alerts.succeeded(org_id, backup.container_id)
        if backup.retention is not None:
            try:
                self.apply_retention(org_id, backup.container_id, backup.retention)
            except DomainError:  # the backup stands; the next completed one prunes again
                log.exception("retention of %s's backups failed", backup.container_id)
        return True

    def verify(self, org_id: str, backup_id: str) -> bool:
        """Restore the stored archive into throwaway volumes and compare every file with the archive.

        Records "last verified restorable" when all match; a checksum mismatch or a restore that differs is
        recorded as a failed verification (never verified) and the organization is told. Returns verified.
        """
        backup = self._backups.get(org_id, backup_id, consistent=True)
        if backup.status != COMPLETED or backup.sha256 is None or backup.size_bytes is None:
            return False
        reason = None
        try:
            reason = self._restore_elsewhere(backup)
        except NotFound:
            reason = "The archive is missing from storage."
        except EngineError as exc:
            reason = f"The archive could not be restored into a test volume: {exc.message}"
        now = self._clock()
        current = self._backups.get(org_id, backup_id, consistent=True)
        verified = replace(
            current,
            verification="failed" if reason else "verified",
            verification_reason=reason,
            last_verified_at=current.last_verified_at if reason else now,
            updated_at=now,
            version=current.version + 1,
        )
        self._backups.update(current, verified)
        if reason:
            self._notify(current, "backup.verification_failed", "A backup could not be verified", reason)
        return reason is None

    def _restore_elsewhere(self, backup: Backup) -> str | None:
        archiver = self._archiver(backup)
        labels = self._labels(backup)
        with spool() as work, spool() as again:
            got = self._archives.fetch(backup.object_key, work)
            wrong = mismatch(ArchiveFacts(backup.size_bytes or 0, backup.sha256 or ""), got)
            if wrong:
                return f"The stored archive is corrupted ({wrong}); it was not restored."
            try:
                expected = manifest(work)
            except ValueError as exc:
                return f"The stored archive cannot be read: {exc}"
            scratch = [
                (volume_name(backup.organization_id, f"verify-{backup.id.lower()}-{i}"), name)
                for i, name in enumerate(backup.volumes)
            ]
            try:
                for engine_volume, _ in scratch:
                    archiver.create_volume(engine_volume, labels)
                archiver.restore(f"cs-verify-{backup.id}", labels, scratch, work)
                archiver.export(f"cs-verify-{backup.id}", labels, scratch, again)
            finally:
                for engine_volume, _ in scratch:
                    archiver.remove_volume(engine_volume)
            restored = manifest(again)
        if restored != expected:
            differing = sorted(set(restored.items()) ^ set(expected.items()))
            return f"The test restore differs from the archive at {differing[0][0]!r}."
        return None

    def fail(self, org_id: str, backup_id: str, reason: str) -> None:
        """Compensation: remove a partial archive, mark the backup failed and tell the organization."""
        backup = self._backups.get(org_id, backup_id, consistent=True)
        if backup.status != PENDING:
            return
        self._archives.delete(backup.object_key)
        failed = replace(
            backup, status=FAILED, status_reason=reason, updated_at=self._clock(), version=backup.version + 1
        )
        self._backups.update(backup, failed)
        title = "A scheduled backup failed" if backup.scheduled else "A backup failed"
        if backup.scheduled:
            self._alerts.missed(org_id, backup.container_id, f"A scheduled backup failed: {reason}")
        self._notify(backup, "backup.failed", title, reason)

    # ------------------------------------------------------------ restore workflow
    def restore_put(self, org_id: str, backup_id: str) -> None:
        """Check the archive's checksum, then empty the container's volumes and extract it into them.

        Raises ArchiveCorrupted before anything on the host is touched when the archive is not the one
        written."""
        backup = self._backups.get(org_id, backup_id, consistent=True)
        if backup.restore_status != "restoring":
            return
        archiver = self._archiver(backup)
        with spool() as work:
            got = self._archives.fetch(backup.object_key, work)
            wrong = mismatch(ArchiveFacts(backup.size_bytes or 0, backup.sha256 or ""), got)
            if wrong:
                raise ArchiveCorrupted(f"The stored archive is corrupted ({wrong}); nothing was restored.")
            archiver.restore(f"cs-restore-{backup.id}", self._labels(backup), self._dirs(backup), work)

    def restore_finished(self, org_id: str, backup_id: str, reason: str | None) -> Backup:
        """Record how the restore ended (and tell the organization when it failed)."""
        backup = self._backups.get(org_id, backup_id, consistent=True)
        if backup.restore_status != "restoring":
            return backup
        now = self._clock()
        ended = replace(
            backup,
            restore_status="failed" if reason else "restored",
            restore_reason=reason,
            restored_at=backup.restored_at if reason else now,
            updated_at=now,
            version=backup.version + 1,
        )
        self._backups.update(backup, ended)
        if reason:
            self._notify(backup, "backup.restore_failed", "A backup could not be restored", reason)
        return ended

    def mark_was_running(self, org_id: str, backup_id: str, was_running: bool) -> None:
        backup = self._backups.get(org_id, backup_id, consistent=True)
        if backup.restore_status == "restoring" and backup.restore_was_running != was_running:
            self._backups.update(
                backup, replace(backup, restore_was_running=was_running, version=backup.version + 1)
            )

    # ------------------------------------------------------------ retention
    def apply_retention(self, org_id: str, container_id: str, keep: int) -> list[str]:
        """Delete the oldest completed backups of the container beyond `keep` (archive, then record)."""
        completed = [b for b in self._backups.of_container(org_id, container_id) if b.status == COMPLETED]
        removed: list[str] = []
        for old in completed[keep:]:
            if old.restore_status == "restoring":
                continue
            self._archives.delete(old.object_key)
            try:
                self._backups.delete(old)
            except (Conflict, NotFound):
                log.info("backup %s changed meanwhile; retention skips it", old.id)
                continue
            removed.append(old.id)
        return removed

    # ------------------------------------------------------------ helpers
    def _archiver(self, backup: Backup) -> VolumeArchiver:
        return self._archiver_for(self._hosts.get(backup.host_id))

    @staticmethod
    def _dirs(backup: Backup) -> list[tuple[str, str]]:
        return [(volume_name(backup.organization_id, name), name) for name in backup.volumes]

    @staticmethod
    def _labels(backup: Backup) -> dict[str, str]:
        return {LABEL_MANAGED: MANAGED_BY, LABEL_ORG: backup.organization_id, LABEL_BACKUP: backup.id}

    def _notify(self, backup: Backup, kind: str, title: str, reason: str) -> None:
        self._notifier.notify(
            Notice(
                organization_id=backup.organization_id,
                kind=kind,
                title=f"{title}: {backup.container_name}",
                body=reason,
                resource_type="backup",
                resource_id=backup.id,
                data={"container_id": backup.container_id, "backup_id": backup.id, "reason": reason},
            )
        )
