"""Backups on the real engine: archive a volume to S3 (moto), prove it restorable, put it back."""

from __future__ import annotations

from typing import Any

import docker
import pytest

from tests.integration.backups.conftest import wait_backup
from tests.support.api import Api, User

pytestmark = pytest.mark.docker


def container_body(image: str, name: str = "db") -> dict[str, Any]:
    return {
        "name": name,
        "image": image,
        "resources": {"cpu": "0.1", "memory": "32Mi"},
        "volumes": [{"name": "data", "path": "/data"}],
    }


def run_in(container_id: str, command: str) -> str:
    """Run a shell command in the container's (first) engine container; its output."""
    client = docker.from_env()
    try:
        found = client.containers.list(filters={"label": f"cs.container={container_id}"})
        assert found, "the container is not running on the engine"
        code, output = found[0].exec_run(["sh", "-c", command])
        assert code == 0, output
        return str(output.decode())
    finally:
        client.close()


def deployed(user: User, image: str, name: str = "db") -> str:
    created = user.call("POST", "/api/containers", container_body(image, name))
    assert created.status == 202, created.body
    assert user.wait_for(created.body["id"])["status"] == "running"
    return str(created.body["id"])


def finished(body: dict[str, Any]) -> bool:
    return bool(
        body["status"] == "failed" or (body["status"] == "completed" and body["verification"] != "pending")
    )


def test_backup_change_restore_brings_the_original_bytes_back(
    backups_api: Api, default_host: str, test_image: str
) -> None:
    # Given a running container whose volume holds a file
    ann = backups_api.user("Ann")
    container_id = deployed(ann, test_image)
    run_in(
        container_id,
        "printf 'original bytes\\n' > /data/file.txt && mkdir -p /data/sub && echo a > /data/sub/a",
    )

    # When Ann backs the volume up
    created = ann.call("POST", "/api/backups", {"container_id": container_id})
    assert created.status == 202, created.body
    assert created.body["status"] == "pending"
    backup = wait_backup(ann, created.body["id"], finished)

    # Then the archive is stored encrypted with its checksum, and a test restore proved it restorable
    assert backup["status"] == "completed", backup
    assert backup["volumes"] == ["data"]
    assert backup["size_bytes"] > 0
    assert backup["checksum"].startswith("sha256:")
    assert backup["encryption"] == "aws:kms"
    assert backup["verification"] == "verified"
    assert backup["last_verified_at"] is not None
    assert backup["files"] == 2

    # When the file changes, another appears, and Ann restores the backup
    run_in(container_id, "printf 'changed\\n' > /data/file.txt && echo new > /data/new.txt")
    restore = ann.call("POST", f"/api/backups/{backup['id']}/restore")
    assert restore.status == 202, restore.body
    assert restore.body["restore_status"] == "restoring"
    restored = wait_backup(ann, backup["id"], lambda b: b["restore_status"] != "restoring")

    # Then the container runs again with the original bytes, and nothing the backup did not have
    assert restored["restore_status"] == "restored", restored
    assert ann.call("GET", f"/api/containers/{container_id}").body["status"] == "running"
    assert run_in(container_id, "cat /data/file.txt") == "original bytes\n"
    assert run_in(container_id, "cat /data/sub/a") == "a\n"
    assert run_in(container_id, "ls /data").split() == ["file.txt", "sub"]


def test_a_corrupted_archive_is_never_verified_nor_restored(
    backups_api: Api, default_host: str, test_image: str, aws: Any
) -> None:
    # Given a verified backup
    ann = backups_api.user("Ann")
    container_id = deployed(ann, test_image)
    run_in(container_id, "echo precious > /data/file.txt")
    created = ann.call("POST", "/api/backups", {"container_id": container_id})
    backup = wait_backup(ann, created.body["id"], finished)
    assert backup["verification"] == "verified"

    # When the stored archive is corrupted (same size, one byte flipped) and verified again
    from chalicelib.settings import get_settings
    from chalicelib.wiring.backups import get_backup_runner

    s3 = aws.client("s3")
    bucket = get_settings().backup_bucket
    key = f"backups/{ann.org_id}/{container_id}/{backup['id']}.tar"
    data = bytearray(s3.get_object(Bucket=bucket, Key=key)["Body"].read())
    data[len(data) // 3] ^= 0xFF
    s3.put_object(Bucket=bucket, Key=key, Body=bytes(data))
    verified = get_backup_runner().verify(ann.org_id, backup["id"])

    # Then the checksum catches it: verification failed, and the time it was last verified did not move
    assert verified is False
    after = ann.call("GET", f"/api/backups/{backup['id']}").body
    assert after["verification"] == "failed"
    assert "corrupted" in after["verification_reason"]
    assert after["last_verified_at"] == backup["last_verified_at"]

    # And a restore of it fails before touching the volume, leaving the container running
    run_in(container_id, "echo current > /data/file.txt")
    assert ann.call("POST", f"/api/backups/{backup['id']}/restore").status == 202
    ended = wait_backup(ann, backup["id"], lambda b: b["restore_status"] != "restoring")
    assert ended["restore_status"] == "failed"
    assert "corrupted" in ended["restore_reason"]
    assert run_in(container_id, "cat /data/file.txt") == "current\n"
    assert ann.call("GET", f"/api/containers/{container_id}").body["status"] == "running"
