"""The restore workflow's steps around the archive: stop the container, put the archive back, start it."""

from __future__ import annotations

import contextlib

from chalicelib.domain.backups.ports import Backups, ContainerControl
from chalicelib.domain.backups.runner import BackupRunner
from chalicelib.domain.shared.errors import Conflict, NotFound


class RestoreSteps:
    """stop -> put back (BackupRunner.restore_put) -> start; `fail` starts a stopped container again."""

    def __init__(self, backups: Backups, runner: BackupRunner, control: ContainerControl) -> None:
        self._backups = backups
        self._runner = runner
        self._control = control

    def stop(self, org_id: str, backup_id: str) -> bool:
        """Stop the container if it runs; whether it ran (it is started again afterwards only then)."""
        backup = self._backups.get(org_id, backup_id, consistent=True)
        if backup.restore_status != "restoring":
            return False
        try:
            running = self._control.is_running(org_id, backup.container_id)
        except NotFound as exc:
            raise Conflict(
                f"Container {backup.container_name!r} no longer exists; there is nothing to restore into."
            ) from exc
        was_running = running or backup.restore_was_running  # a retried step finds it stopped already
        self._runner.mark_was_running(org_id, backup_id, was_running)
        if running:
            self._control.stop(org_id, backup.container_id)
        return was_running

    def put_back(self, org_id: str, backup_id: str) -> None:
        self._runner.restore_put(org_id, backup_id)

    def start(self, org_id: str, backup_id: str) -> None:
        backup = self._backups.get(org_id, backup_id, consistent=True)
        if backup.restore_status == "restoring" and backup.restore_was_running:
            self._control.start(org_id, backup.container_id)
        self._runner.restore_finished(org_id, backup_id, None)

    def fail(self, org_id: str, backup_id: str, reason: str) -> None:
        """Compensation: start the container again if the restore stopped it, and record why it failed."""
        backup = self._backups.get(org_id, backup_id, consistent=True)
        if backup.restore_status == "restoring" and backup.restore_was_running:
            with contextlib.suppress(NotFound, Conflict):
                self._control.start(org_id, backup.container_id)
        self._runner.restore_finished(org_id, backup_id, reason)
