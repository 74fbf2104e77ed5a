"""Backup test fixtures: the helper image (built FROM scratch for this session), the app using it."""

from __future__ import annotations

import time
from typing import Any

import pytest

from tests.support.api import Api, User


@pytest.fixture
def backups_api(api: Api, backup_helper_image: str) -> Api:
    """The app (and its workflows) archiving volumes with this session's helper image."""
    from chalicelib import wiring

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
