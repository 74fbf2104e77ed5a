"""Backups over HTTP: retention, deletion, metering, schedules (missed and failed), tenant isolation."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

import docker
import pytest

from tests.integration.backups.conftest import wait_backup
from tests.integration.backups.test_backup_restore import deployed, finished, run_in
from tests.support.api import Api, User

pytestmark = pytest.mark.docker


def take(user: User, body: dict[str, Any]) -> dict[str, Any]:
    created = user.call("POST", "/api/backups", body)
    assert created.status == 202, created.body
    return wait_backup(user, created.body["id"], finished)


def stored_keys(aws: Any, org_id: str) -> list[str]:
    from chalicelib.settings import get_settings

    listed = aws.client("s3").list_objects_v2(
        Bucket=get_settings().backup_bucket, Prefix=f"backups/{org_id}/"
    )
    return sorted(o["Key"].rsplit("/", 1)[-1] for o in listed.get("Contents", []))


def meters(org_id: str) -> dict[str, Any]:
    from chalicelib.store.billing.meters import MeterRepository

    return {m.resource_id: m for m in MeterRepository().of_org(org_id) if m.kind == "backup_storage"}


def test_retention_keeps_the_newest_and_deleting_stops_the_billing(
    backups_api: Api, default_host: str, test_image: str, aws: Any
) -> None:
    # Given a container with data, backed up three times keeping two
    ann = backups_api.user("Ann")
    container_id = deployed(ann, test_image)
    run_in(container_id, "echo one > /data/file.txt")
    taken = [take(ann, {"container_id": container_id, "retention": 2}) for _ in range(3)]
    assert [b["status"] for b in taken] == ["completed"] * 3

    # Then the oldest is gone (record and archive), the two newest remain, newest first
    listed = ann.call("GET", "/api/backups").body["backups"]
    assert [b["id"] for b in listed] == [taken[2]["id"], taken[1]["id"]]
    assert ann.call("GET", f"/api/backups/{taken[0]['id']}").status == 404
    assert stored_keys(aws, ann.org_id) == sorted(f"{b['id']}.tar" for b in taken[1:])

    # And each kept archive is billed as backup storage by its size, the removed one up to its removal
    billed = meters(ann.org_id)
    assert billed[taken[2]["id"]].changes[0].storage_bytes == taken[2]["size_bytes"]
    assert billed[taken[2]["id"]].ended_at is None
    assert billed[taken[0]["id"]].ended_at is not None

    # When Ann deletes one
    assert ann.call("DELETE", f"/api/backups/{taken[1]['id']}").status == 204

    # Then it is gone, with its archive, and its storage is no longer billed from now on
    assert ann.call("GET", f"/api/backups/{taken[1]['id']}").status == 404
    assert stored_keys(aws, ann.org_id) == [f"{taken[2]['id']}.tar"]
    assert meters(ann.org_id)[taken[1]["id"]].ended_at is not None

    # And no helper container or test volume was left on the engine
    client = docker.from_env()
    try:
        helpers = client.containers.list(
            all=True, filters={"label": ["cs.backup", f"cs.organization={ann.org_id}"]}
        )
        assert helpers == []
        assert [v.name for v in client.volumes.list(filters={"name": f"cs-{ann.org_id}-"})] == [
            f"cs-{ann.org_id}-data"
        ]
    finally:
        client.close()


def test_another_organization_cannot_see_restore_delete_or_back_up(
    backups_api: Api, default_host: str, test_image: str
) -> None:
    # Given Ann's backup
    ann, bob = backups_api.user("Ann"), backups_api.user("Bob")
    container_id = deployed(ann, test_image)
    backup = take(ann, {"container_id": container_id})

    # Then Bob sees none of it, exactly as if it did not exist
    assert bob.call("GET", "/api/backups").body["backups"] == []
    assert bob.call("GET", f"/api/backups/{backup['id']}").status == 404
    assert bob.call("POST", f"/api/backups/{backup['id']}/restore").status == 404
    assert bob.call("DELETE", f"/api/backups/{backup['id']}").status == 404
    assert bob.call("POST", "/api/backups", {"container_id": container_id}).status == 404
    assert ann.call("GET", f"/api/backups/{backup['id']}").body["status"] == "completed"


def test_bad_requests_name_the_field(backups_api: Api, default_host: str, test_image: str) -> None:
    ann = backups_api.user("Ann")
    container_id = deployed(ann, test_image)
    cases = [
        ({"container_id": container_id, "volumes": ["nope"]}, "volumes"),
        ({"container_id": container_id, "schedule": "61 * * * *"}, "schedule"),
        ({"container_id": container_id, "schedule": "0 0 31 2 *"}, "schedule"),
        ({"container_id": container_id, "retention": 0}, "retention"),
    ]
    for body, field in cases:
        reply = ann.call("POST", "/api/backups", body)
        assert reply.status == 400, (body, reply.body)
        assert field in str(reply.body["error"]["details"]), reply.body
    assert ann.call("GET", "/api/backups").body["backups"] == []


def notices(user: User) -> list[dict[str, Any]]:
    return list(user.call("GET", "/api/notifications").body["notifications"])


def test_a_schedule_takes_backups_and_says_when_one_was_missed_or_could_not_run(
    backups_api: Api, default_host: str, test_image: str
) -> None:
    from chalicelib.domain.shared.clock import utcnow
    from chalicelib.store.backups.repository import BackupRepository
    from chalicelib.wiring.backups import get_backup_scheduler

    # Given a container backed up now and every day at 03:00
    ann = backups_api.user("Ann")
    container_id = deployed(ann, test_image)
    first = take(ann, {"container_id": container_id, "schedule": "0 3 * * *", "retention": 5})
    assert first["schedule"] == "0 3 * * *"
    schedule = BackupRepository().schedule(ann.org_id, container_id)
    assert schedule is not None and schedule.next_run_at > utcnow()

    # And a monitoring rule on missed backups
    rule = ann.call("POST", "/api/alerts", {"name": "backups", "kind": "event", "event": "backup_missed"})
    assert rule.status == 201, rule.body

    # When the scheduler runs an hour after the schedule's time (it did not run meanwhile)
    store = BackupRepository()
    store.save_schedule(
        schedule, replace(schedule, next_run_at=utcnow() - timedelta(hours=1), version=schedule.version + 1)
    )
    result = get_backup_scheduler().run_due()

    # Then a scheduled backup is taken, Ann is told the scheduled time was missed, and the schedule moved on
    assert (result.started, result.missed) == (1, 1)
    backups = ann.call("GET", "/api/backups").body["backups"]
    scheduled = wait_backup(ann, backups[0]["id"], finished)
    assert scheduled["scheduled"] is True and scheduled["status"] == "completed"
    assert "backup.missed" in [n["kind"] for n in notices(ann)]
    # And the alert rule fired for the container, then resolved when the scheduled backup succeeded
    events = ann.call("GET", "/api/alerts/events").body["events"]
    assert [(e["subject"], e["state"]) for e in events][:1] == [(container_id, "resolved")], events
    moved = BackupRepository().schedule(ann.org_id, container_id)
    assert moved is not None and moved.next_run_at > utcnow()
    assert get_backup_scheduler().run_due().started == 0  # nothing else is due
    listed = ann.call("GET", "/api/backup-schedules").body["schedules"]
    assert [(s["id"], s["schedule"], s["retention"]) for s in listed] == [(container_id, "0 3 * * *", 5)]
    assert listed[0]["last_backup_id"] == scheduled["id"]

    # When the container is deleted and the schedule comes due again
    assert ann.call("DELETE", f"/api/containers/{container_id}").status == 204
    store.save_schedule(moved, replace(moved, next_run_at=utcnow(), version=moved.version + 1))
    result = get_backup_scheduler().run_due()

    # Then Ann is told the scheduled backup could not run, and the schedule is gone with the container
    assert result.failed == 1
    assert "backup.failed" in [n["kind"] for n in notices(ann)]
    assert BackupRepository().schedule(ann.org_id, container_id) is None


def test_a_backup_that_cannot_be_taken_fails_with_a_reason_and_tells_the_organization(
    backups_api: Api, default_host: str, test_image: str, aws: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from chalicelib import wiring

    # Given a container, and hosts without the helper image backups need
    ann = backups_api.user("Ann")
    container_id = deployed(ann, test_image)
    monkeypatch.setenv("CS_BACKUP_HELPER_IMAGE", "cs-test-missing-helper:nope")
    wiring.reset()

    # When Ann backs it up
    created = ann.call("POST", "/api/backups", {"container_id": container_id})
    assert created.status == 202, created.body
    failed = wait_backup(ann, created.body["id"], finished)

    # Then the backup failed saying why, nothing is stored or billed, and Ann is told
    assert failed["status"] == "failed"
    assert "helper image" in failed["status_reason"]
    assert failed["verification"] == "pending" and failed["last_verified_at"] is None
    assert stored_keys(aws, ann.org_id) == []
    assert meters(ann.org_id) == {}
    assert "backup.failed" in [n["kind"] for n in notices(ann)]
    # And a failed backup cannot be restored, but can be deleted
    assert ann.call("POST", f"/api/backups/{failed['id']}/restore").status == 409
    assert ann.call("DELETE", f"/api/backups/{failed['id']}").status == 204


def test_stopping_a_schedule_keeps_the_backups_taken(
    backups_api: Api, default_host: str, test_image: str
) -> None:
    ann, bob = backups_api.user("Ann"), backups_api.user("Bob")
    container_id = deployed(ann, test_image)
    taken = take(ann, {"container_id": container_id, "schedule": "*/30 * * * *"})
    assert bob.call("DELETE", f"/api/backup-schedules/{container_id}").status == 404
    assert bob.call("GET", "/api/backup-schedules").body["schedules"] == []
    assert ann.call("DELETE", f"/api/backup-schedules/{container_id}").status == 204
    assert ann.call("GET", "/api/backup-schedules").body["schedules"] == []
    assert ann.call("DELETE", f"/api/backup-schedules/{container_id}").status == 404
    assert ann.call("GET", f"/api/backups/{taken['id']}").body["status"] == "completed"
