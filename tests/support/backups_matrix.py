"""Backups' rows of the authorization matrix, and the owner's container with a volume and its backups."""

from __future__ import annotations

import time
from typing import Any

from tests.support.matrix import MEMBERS, Caller, Cell, Listing, Row, World

FINISHED = 90.0  # seconds a backup or restore may take in the matrix


def _wait(world: World, backup_id: str, done: Any) -> dict[str, Any]:
    deadline = time.monotonic() + FINISHED
    while True:
        reply = world.owner.call("GET", f"/api/backups/{backup_id}")
        assert reply.status == 200, reply.body
        if done(reply.body) or time.monotonic() > deadline:
            return dict(reply.body)
        time.sleep(0.3)


def _settled(body: dict[str, Any]) -> bool:
    taken = (body["status"] != "pending" and body["verification"] != "pending") or body["status"] == "failed"
    return bool(taken and body["restore_status"] != "restoring")


def completed_backup(world: World, schedule: str | None = None) -> str:
    body = {"container_id": world.ids["backup_container_id"], **({"schedule": schedule} if schedule else {})}
    reply = world.owner.call("POST", "/api/backups", body)
    assert reply.status == 202, reply.body
    backup = _wait(world, reply.body["id"], _settled)
    assert backup["status"] == "completed", backup
    return str(backup["id"])


def settle_backups(world: World, cells: list[Cell]) -> None:
    """Wait until what the cells started (backups, restores) finished: nothing runs after the module."""
    for cell in cells:
        if cell.reply.status == 202 and cell.caller in MEMBERS:
            _wait(world, cell.reply.body["id"], _settled)


def add_backup_resources(world: World) -> None:
    """A running container of the owner's with a volume, and a completed backup of it."""
    body = {**world.container_body(), "volumes": [{"name": "data", "path": "/data"}]}
    reply = world.owner.call("POST", "/api/containers", body)
    assert reply.status == 202, reply.body
    assert world.owner.wait_for(reply.body["id"])["status"] == "running"
    world.ids["backup_container_id"] = str(reply.body["id"])
    world.makers["backup_id"] = completed_backup
    world.ids["backup_id"] = completed_backup(world)
    world.makers["schedule_id"] = scheduled
    world.ids["schedule_id"] = scheduled(world)


def scheduled(world: World) -> str:
    """The owner's container with a backup schedule (its id is the schedule's)."""
    completed_backup(world, schedule="0 3 * * *")
    return world.ids["backup_container_id"]


BACKUP_ROWS: dict[str, Row] = {
    "list_backups": Row(lists=Listing("backups", "backup_id")),
    # another organization names a container it does not have: answered like a missing one
    "create_backup": Row(
        body=lambda w: {"container_id": w.ids["backup_container_id"]},
        expect={Caller.OTHER_ORG: 404, Caller.ADMIN: 404},
        after=settle_backups,
    ),
    "get_backup": Row(),
    "restore_backup": Row(fresh=("backup_id",), after=settle_backups),
    "delete_backup": Row(fresh=("backup_id",)),
    "list_backup_schedules": Row(lists=Listing("schedules", "schedule_id")),
    "delete_backup_schedule": Row(fresh=("schedule_id",)),
}
