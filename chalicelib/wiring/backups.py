"""Backups: records, the S3 archive store, volume archives on the hosts, the workflows and the scheduler."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from chalicelib.domain.backups.ports import ArchiveStore, VolumeArchiver
from chalicelib.domain.backups.service import BackupService
from chalicelib.domain.hosts.entities import Host
from chalicelib.domain.shared.principal import Principal
from chalicelib.wiring import component, settings, workflows
from chalicelib.wiring.events import audit_trail, notifier
from chalicelib.wiring.hosts import get_hosts

log = logging.getLogger(__name__)

if TYPE_CHECKING:  # the workflows' and the scheduler's classes are imported by their factories only
    from chalicelib.domain.backups.restoring import RestoreSteps
    from chalicelib.domain.backups.runner import BackupRunner
    from chalicelib.domain.backups.scheduler import BackupScheduler


@component
def archive_store() -> ArchiveStore:
    from chalicelib.adapters.aws.archives import S3ArchiveStore

    current = settings()
    return S3ArchiveStore(current.backup_bucket, current.region, current.kms_key_id)


def archiver_for(host: Host) -> VolumeArchiver:
    from chalicelib.adapters.docker.volumes import DockerVolumeArchiver

    return DockerVolumeArchiver(get_hosts().engine_for(host), settings().backup_helper_image)


@component
def get_backups() -> BackupService:
    from chalicelib.store.backups.repository import BackupRepository
    from chalicelib.store.billing.meters import ContainerMeter
    from chalicelib.store.containers.repository import ContainerRepository

    settings()
    service = BackupService(
        BackupRepository(), ContainerRepository(ContainerMeter()), archive_store(), workflows()
    )
    service.audit = audit_trail()
    return service


@component
def get_backup_runner() -> BackupRunner:
    from chalicelib.domain.backups.runner import BackupRunner
    from chalicelib.store.backups.repository import BackupRepository
    from chalicelib.store.hosts.repository import HostRepository

    settings()
    return BackupRunner(
        BackupRepository(),
        HostRepository(),
        archiver_for,
        archive_store(),
        notifier(),
        alerts=MonitoringAlerts(),
    )


def _acting_in(org_id: str) -> Principal:
    return Principal(
        user_id="system:backups",
        role="user",
        token_id="",
        token_expires=0,
        organization_id=org_id,
        organization_role="owner",
    )


class ServiceControl:
    """ContainerControl through the container service (stop and start keep its records right)."""

    def is_running(self, org_id: str, container_id: str) -> bool:
        from chalicelib.wiring.containers import get_containers

        return get_containers().get(_acting_in(org_id), container_id).status == "running"

    def stop(self, org_id: str, container_id: str) -> None:
        from chalicelib.wiring.containers import get_containers

        get_containers().stop(_acting_in(org_id), container_id)

    def start(self, org_id: str, container_id: str) -> None:
        from chalicelib.wiring.containers import get_containers

        get_containers().start(_acting_in(org_id), container_id)


class MonitoringAlerts:
    """BackupAlerts through monitoring's alert service (its backup_missed rules); never raises."""

    def missed(self, org_id: str, container_id: str, reason: str) -> None:
        try:
            from chalicelib.wiring.monitoring import get_alerts

            get_alerts().backup_missed(org_id, container_id, reason)
        except Exception:
            log.exception("backup_missed alert of %s not raised", container_id)

    def succeeded(self, org_id: str, container_id: str) -> None:
        try:
            from chalicelib.wiring.monitoring import get_alerts

            get_alerts().backup_succeeded(org_id, container_id)
        except Exception:
            log.exception("backup_missed alert of %s not resolved", container_id)


@component
def get_restore_steps() -> RestoreSteps:
    from chalicelib.domain.backups.restoring import RestoreSteps
    from chalicelib.store.backups.repository import BackupRepository

    settings()
    return RestoreSteps(BackupRepository(), get_backup_runner(), ServiceControl())


@component
def get_backup_scheduler() -> BackupScheduler:
    from chalicelib.domain.backups.scheduler import BackupScheduler
    from chalicelib.store.backups.repository import BackupRepository
    from chalicelib.store.containers.repository import ContainerRepository

    settings()
    return BackupScheduler(
        BackupRepository(), ContainerRepository(), get_backups(), notifier(), alerts=MonitoringAlerts()
    )
