"""Backup test fixtures: the helper image (built FROM scratch for this session), the app using it."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from devstack.images import build_backup_helper
from tests.support.api import Api, User
from tests.support.images import docker_url, remove_test_image


@pytest.fixture(scope="session")
def backup_helper_image() -> Iterator[str]:
    tag = build_backup_helper(docker_url(), f"cs-test-backup-helper:{uuid.uuid4().hex[:12]}")
    yield tag
    remove_test_image(tag)


@pytest.fixture
def backups_api(api: Api, backup_helper_image: str, monkeypatch: pytest.MonkeyPatch) -> Api:
    """The app (and its workflows) archiving volumes with this session's helper image."""
    from chalicelib import wiring

    monkeypatch.setenv("CS_BACKUP_HELPER_IMAGE", backup_helper_image)
    wiring.reset()
    return api


def wait_backup(user: User, backup_id: str, done: Any, timeout: float = 90.0) -> dict[str, Any]:
    """Poll the backup (as a client would) until `done(body)` holds."""
    deadline = time.monotonic() + timeout
    while True:
        reply = user.call("GET", f"/api/backups/{backup_id}")
        assert reply.status == 200, reply.body
        if done(reply.body):
            return dict(reply.body)
        if time.monotonic() > deadline:
            pytest.fail(f"backup stayed {reply.body} for {timeout}s")
        time.sleep(0.3)
