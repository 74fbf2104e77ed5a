"""Seed routes for backups: take (now and on a schedule), list, read, restore, delete."""

from __future__ import annotations

from chalice.app import Blueprint

from chalicelib.api.backups.schemas import (
    BackupCreateIn,
    BackupListOut,
    BackupOut,
    BackupScheduleListOut,
    BackupScheduleOut,
)
from chalicelib.api.http import Call, endpoint
from chalicelib.api.wire import PageQuery
from chalicelib.wiring.backups import get_backups

bp = Blueprint(__name__)
TAG = "backups"


@endpoint(
    bp,
    "/api/backups",
    "GET",
    summary="The organization's backups, newest first, a page at a time",
    tag=TAG,
    query=PageQuery,
    response=BackupListOut,
)
def list_backups(call: Call) -> BackupListOut:
    q: PageQuery = call.query
    page = get_backups().page(call.principal, q.limit, q.cursor)
    return BackupListOut(backups=[BackupOut.of(b) for b in page.items], next_cursor=page.next_cursor)


@endpoint(
    bp,
    "/api/backups",
    "POST",
    summary="Back up a container's volumes now (asynchronously), optionally on a schedule too",
    tag=TAG,
    status=202,
    request=BackupCreateIn,
    response=BackupOut,
    errors=(404, 409, 503),
    idempotent=True,
)
def create_backup(call: Call) -> BackupOut:
    body: BackupCreateIn = call.body
    return BackupOut.of(get_backups().create(call.principal, body.to_domain()))


@endpoint(
    bp,
    "/api/backups/{backup_id}",
    "GET",
    summary="One backup",
    tag=TAG,
    response=BackupOut,
    errors=(404,),
)
def get_backup(call: Call, backup_id: str) -> BackupOut:
    return BackupOut.of(get_backups().get(call.principal, backup_id))


@endpoint(
    bp,
    "/api/backups/{backup_id}/restore",
    "POST",
    summary="Restore the backup into its container: stop, put the archive back, start (asynchronously)",
    tag=TAG,
    status=202,
    response=BackupOut,
    errors=(404, 409, 503),
)
def restore_backup(call: Call, backup_id: str) -> BackupOut:
    return BackupOut.of(get_backups().restore(call.principal, backup_id))


@endpoint(
    bp,
    "/api/backups/{backup_id}",
    "DELETE",
    summary="Delete the backup and its archive",
    tag=TAG,
    status=204,
    errors=(404, 409, 503),
)
def delete_backup(call: Call, backup_id: str) -> None:
    get_backups().delete(call.principal, backup_id)


@endpoint(
    bp,
    "/api/backup-schedules",
    "GET",
    summary="The organization's backup schedules (one per container), a page at a time",
    tag=TAG,
    query=PageQuery,
    response=BackupScheduleListOut,
)
def list_backup_schedules(call: Call) -> BackupScheduleListOut:
    q: PageQuery = call.query
    page = get_backups().schedules(call.principal, q.limit, q.cursor)
    return BackupScheduleListOut(
        schedules=[BackupScheduleOut.of(s) for s in page.items], next_cursor=page.next_cursor
    )


@endpoint(
    bp,
    "/api/backup-schedules/{schedule_id}",
    "DELETE",
    summary="Stop a container's scheduled backups (the schedule's id is its container's id)",
    tag=TAG,
    status=204,
    errors=(404,),
)
def delete_backup_schedule(call: Call, schedule_id: str) -> None:
    get_backups().stop_schedule(call.principal, schedule_id)
