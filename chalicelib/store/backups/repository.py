"""Backup records and schedules; a completed backup's storage meter moves in the record's own transactions."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, cast

from pynamodb.exceptions import DoesNotExist
from pynamodb.expressions.operand import Path

from chalicelib.domain.backups.entities import METER_KIND, Backup, BackupSchedule
from chalicelib.domain.shared.errors import Conflict, NotFound
from chalicelib.domain.shared.paging import Page
from chalicelib.store import keys
from chalicelib.store.backups.keys import (
    BACKUP_PREFIX,
    SCHEDULE_PREFIX,
    SCHEDULES_GSI_PK,
    backup_sk,
    schedule_gsi_sk,
    schedule_sk,
)
from chalicelib.store.backups.models import BackupItem, BackupScheduleItem
from chalicelib.store.billing import keys as bkeys
from chalicelib.store.billing.models import MeterItem, UsageChange
from chalicelib.store.cursor import decode_cursor, encode_cursor
from chalicelib.store.table import Item, Transaction, TransactionCancelled, store_call, transaction

_MISSING = "Backup {} was not found."


def _backup(item: BackupItem) -> Backup:
    return Backup(
        id=item.id,
        organization_id=item.organization_id,
        container_id=item.container_id,
        container_name=item.container_name,
        host_id=item.host_id,
        volumes=tuple(str(v) for v in item.volumes or ()),
        status=cast(Any, item.status),
        status_reason=item.status_reason,
        object_key=item.object_key,
        created_by=item.created_by,
        created_at=item.created_at,
        updated_at=item.updated_at,
        version=int(item.version),
        schedule=item.schedule,
        retention=int(item.retention) if item.retention is not None else None,
        scheduled=bool(item.scheduled),
        size_bytes=int(item.size_bytes) if item.size_bytes is not None else None,
        sha256=item.sha256,
        encryption=item.encryption,
        completed_at=item.completed_at,
        verification=cast(Any, item.verification or "pending"),
        verification_reason=item.verification_reason,
        last_verified_at=item.last_verified_at,
        files=int(item.files) if item.files is not None else None,
        restore_status=cast(Any, item.restore_status),
        restore_reason=item.restore_reason,
        restored_at=item.restored_at,
        restores=int(item.restores or 0),
        restore_was_running=bool(item.restore_was_running),
    )


def _item(b: Backup) -> BackupItem:
    return BackupItem(
        keys.org_pk(b.organization_id),
        backup_sk(b.id),
        id=b.id,
        organization_id=b.organization_id,
        container_id=b.container_id,
        container_name=b.container_name,
        host_id=b.host_id,
        volumes=list(b.volumes),
        status=b.status,
        status_reason=b.status_reason,
        object_key=b.object_key,
        created_by=b.created_by,
        created_at=b.created_at,
        updated_at=b.updated_at,
        version=b.version,
        schedule=b.schedule,
        retention=b.retention,
        scheduled=b.scheduled,
        size_bytes=b.size_bytes,
        sha256=b.sha256,
        encryption=b.encryption,
        completed_at=b.completed_at,
        verification=b.verification,
        verification_reason=b.verification_reason,
        last_verified_at=b.last_verified_at,
        files=b.files,
        restore_status=b.restore_status,
        restore_reason=b.restore_reason,
        restored_at=b.restored_at,
        restores=b.restores,
        restore_was_running=b.restore_was_running,
    )


def _schedule(item: BackupScheduleItem) -> BackupSchedule:
    return BackupSchedule(
        organization_id=item.organization_id,
        container_id=item.container_id,
        volumes=tuple(str(v) for v in item.volumes or ()),
        cron=item.cron,
        retention=int(item.retention) if item.retention is not None else None,
        next_run_at=item.next_run_at,
        created_by=item.created_by,
        created_at=item.created_at,
        updated_at=item.updated_at,
        version=int(item.version),
        last_run_at=item.last_run_at,
        last_backup_id=item.last_backup_id,
    )


def _schedule_item(s: BackupSchedule) -> BackupScheduleItem:
    return BackupScheduleItem(
        keys.org_pk(s.organization_id),
        schedule_sk(s.container_id),
        gsi1pk=SCHEDULES_GSI_PK,
        gsi1sk=schedule_gsi_sk(
            s.next_run_at.strftime("%Y-%m-%dT%H:%M:%SZ"), s.organization_id, s.container_id
        ),
        organization_id=s.organization_id,
        container_id=s.container_id,
        volumes=list(s.volumes),
        cron=s.cron,
        retention=s.retention,
        next_run_at=s.next_run_at,
        last_run_at=s.last_run_at,
        last_backup_id=s.last_backup_id,
        created_by=s.created_by,
        created_at=s.created_at,
        updated_at=s.updated_at,
        version=s.version,
    )


def _meter_ref(b: Backup) -> MeterItem:
    return MeterItem(keys.org_pk(b.organization_id), bkeys.meter_sk(b.id))


def _meter_name(b: Backup) -> str:
    return f"{b.container_name} ({b.id})"


class BackupRepository:
    """Implements the Backups port. Every record write is conditional on the version read."""

    @store_call
    def create(self, backup: Backup, schedule: BackupSchedule | None) -> None:
        try:
            with transaction() as tx:
                tx.save("record", _item(backup), condition=Item.pk.does_not_exist())
                if schedule is not None:
                    tx.save("schedule", _schedule_item(schedule))
        except TransactionCancelled as exc:
            raise Conflict("A backup with this id exists already.") from exc

    @store_call
    def get(self, org_id: str, backup_id: str, *, consistent: bool = False) -> Backup:
        try:
            item = BackupItem.get(keys.org_pk(org_id), backup_sk(backup_id), consistent_read=consistent)
        except (DoesNotExist, ValueError) as exc:
            raise NotFound(_MISSING.format(backup_id)) from exc
        if not isinstance(item, BackupItem):
            raise NotFound(_MISSING.format(backup_id))
        return _backup(item)

    @store_call
    def page(self, org_id: str, limit: int, cursor: str | None) -> Page[Backup]:
        """One Query, newest first (ids are ULIDs)."""
        partition = keys.org_pk(org_id)
        result = BackupItem.query(
            partition,
            BackupItem.sk.startswith(BACKUP_PREFIX),
            scan_index_forward=False,
            limit=limit,
            page_size=limit,
            last_evaluated_key=decode_cursor(cursor, partition),
        )
        items = [_backup(i) for i in result if isinstance(i, BackupItem)]
        return Page(items, encode_cursor(result.last_evaluated_key))

    @store_call
    def of_container(self, org_id: str, container_id: str) -> list[Backup]:
        found = BackupItem.query(
            keys.org_pk(org_id),
            BackupItem.sk.startswith(BACKUP_PREFIX),
            filter_condition=BackupItem.container_id == container_id,
            scan_index_forward=False,
            consistent_read=True,
        )
        return [_backup(i) for i in found if isinstance(i, BackupItem)]

    @store_call
    def update(self, old: Backup, new: Backup) -> None:
        self._write(
            old, lambda tx: tx.save("record", _item(new), condition=BackupItem.version == old.version)
        )

    @store_call
    def complete(self, old: Backup, new: Backup) -> None:
        at = new.completed_at or new.updated_at

        def build(tx: Transaction) -> None:
            tx.save("record", _item(new), condition=BackupItem.version == old.version)
            tx.save(
                "meter",
                MeterItem(
                    keys.org_pk(new.organization_id),
                    bkeys.meter_sk(new.id),
                    gsi1pk=bkeys.billable_gsi_pk(bkeys.shard_of(new.organization_id)),
                    gsi1sk=bkeys.billable_gsi_sk(new.organization_id, new.id),
                    organization_id=new.organization_id,
                    resource_id=new.id,
                    kind=METER_KIND,
                    name=_meter_name(new),
                    changes=[UsageChange(at=at, storage_bytes=new.size_bytes or 0)],
                    created_at=at,
                    updated_at=at,
                ),
                condition=Item.pk.does_not_exist(),
            )

        self._write(old, build)

    @store_call
    def delete(self, backup: Backup) -> None:
        now = datetime.now(UTC)

        def build(tx: Transaction) -> None:
            tx.delete(
                "record",
                BackupItem(keys.org_pk(backup.organization_id), backup_sk(backup.id)),
                condition=BackupItem.version == backup.version,
            )
            if backup.completed_at is None:
                return  # never billed
            tx.update(
                "meter",
                _meter_ref(backup),
                actions=[
                    Path("type").set("meter"),
                    MeterItem.organization_id.set(backup.organization_id),
                    MeterItem.resource_id.set(backup.id),
                    MeterItem.kind.set(METER_KIND),
                    MeterItem.name.set(_meter_name(backup)),
                    MeterItem.gsi1pk.set(bkeys.billable_gsi_pk(bkeys.shard_of(backup.organization_id))),
                    MeterItem.gsi1sk.set(bkeys.billable_gsi_sk(backup.organization_id, backup.id)),
                    MeterItem.changes.set(
                        MeterItem.changes
                        | [UsageChange(at=backup.completed_at, storage_bytes=backup.size_bytes or 0)]
                    ),
                    MeterItem.ended_at.set(MeterItem.ended_at | now),
                    MeterItem.created_at.set(MeterItem.created_at | backup.completed_at),
                    MeterItem.updated_at.set(now),
                ],
            )

        self._write(backup, build)

    def _write(self, current: Backup, build: Any) -> None:
        try:
            with transaction() as tx:
                build(tx)
        except TransactionCancelled as exc:
            if "record" in exc.failed:
                raise Conflict("The backup changed meanwhile; read it again.") from exc
            raise

    # ------------------------------------------------------------ schedules
    @store_call
    def schedule(self, org_id: str, container_id: str) -> BackupSchedule | None:
        try:
            item = BackupScheduleItem.get(
                keys.org_pk(org_id), schedule_sk(container_id), consistent_read=True
            )
        except DoesNotExist:
            return None
        return _schedule(item) if isinstance(item, BackupScheduleItem) else None

    @store_call
    def schedules(self, org_id: str, limit: int, cursor: str | None) -> Page[BackupSchedule]:
        partition = keys.org_pk(org_id)
        result = BackupScheduleItem.query(
            partition,
            BackupScheduleItem.sk.startswith(SCHEDULE_PREFIX),
            limit=limit,
            page_size=limit,
            last_evaluated_key=decode_cursor(cursor, partition),
        )
        items = [_schedule(i) for i in result if isinstance(i, BackupScheduleItem)]
        return Page(items, encode_cursor(result.last_evaluated_key))

    @store_call
    def due_schedules(self, now: datetime, limit: int) -> list[BackupSchedule]:
        found = Item.by_host.query(
            SCHEDULES_GSI_PK,
            range_key_condition=Item.gsi1sk <= f"{now:%Y-%m-%dT%H:%M:%SZ}#~",
            limit=limit,
        )
        return [_schedule(i) for i in found if isinstance(i, BackupScheduleItem)]

    @store_call
    def save_schedule(self, old: BackupSchedule, new: BackupSchedule) -> None:
        try:
            with transaction() as tx:
                tx.save("schedule", _schedule_item(new), condition=BackupScheduleItem.version == old.version)
        except TransactionCancelled as exc:
            raise Conflict("The schedule changed meanwhile.") from exc

    @store_call
    def delete_schedule(self, schedule: BackupSchedule) -> None:
        BackupScheduleItem(keys.org_pk(schedule.organization_id), schedule_sk(schedule.container_id)).delete()
