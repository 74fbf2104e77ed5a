"""The local stack keeps what it was told: changes made a second before a SIGKILL survive the restart."""

from __future__ import annotations

import os
import signal
import stat
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from devstack.images import SAMPLE_IMAGE
from devstack.net import free_port
from tests.support import images
from tests.support.devstack_process import RunningStack, running_devstack

pytestmark = [pytest.mark.e2e, pytest.mark.docker]

ADMIN = ("operator@example.test", "operator-password")
PASSWORD = "correct horse battery"


def _kill(stack: RunningStack) -> None:
    os.kill(stack.process.pid, signal.SIGKILL)
    stack.process.wait(timeout=30)


def _login(url: str, email: str) -> requests.Response:
    return requests.post(f"{url}/api/auth/login", json={"email": email, "password": PASSWORD}, timeout=30)


def _bearer(response: requests.Response) -> dict[str, str]:
    return {"Authorization": f"Bearer {response.json()['token']}"}


def _remove_engine_containers_labelled(value: str) -> None:
    import docker

    client = docker.DockerClient(base_url=images.docker_url(), timeout=60)
    try:
        for container in client.containers.list(all=True, ignore_removed=True):
            if value in (container.labels or {}).values():
                container.remove(force=True)
    finally:
        client.close()


@pytest.fixture
def created_containers() -> Iterator[list[str]]:
    """Ids of containers a test created; their engine containers are removed afterwards."""
    ids: list[str] = []
    yield ids
    for container_id in ids:
        _remove_engine_containers_labelled(container_id)


def _make_four_changes(url: str, created: list[str]) -> dict[str, Any]:
    """A registration, a rename, a created container and a logout, as a user does them."""
    email = "durable@example.test"
    account = {"email": email, "password": PASSWORD, "name": "Before"}
    assert requests.post(f"{url}/api/auth/register", json=account, timeout=30).status_code == 201
    headers = _bearer(_login(url, email))
    renamed = requests.put(f"{url}/api/users/profile", json={"name": "After"}, headers=headers, timeout=30)
    assert renamed.status_code == 200, renamed.text
    spec = {"name": "durable", "image": SAMPLE_IMAGE, "resources": {"cpu": "0.1", "memory": "32Mi"}}
    container = requests.post(f"{url}/api/containers", json=spec, headers=headers, timeout=30)
    assert container.status_code == 202, container.text
    created.append(container.json()["id"])
    revoked = _bearer(_login(url, email))
    assert requests.post(f"{url}/api/auth/logout", headers=revoked, timeout=30).status_code == 200
    return {"email": email, "container_id": container.json()["id"], "revoked": revoked}


def test_changes_made_a_second_before_a_kill_survive_the_restart(
    tmp_path: Path, created_containers: list[str]
) -> None:
    data_dir = tmp_path / "data"
    # Given a running stack that was told four things one second before it was killed
    with running_devstack(data_dir, *ADMIN) as first:
        changes = _make_four_changes(first.url, created_containers)
        time.sleep(1)
        _kill(first)

    # When it starts again on the same data dir
    with running_devstack(data_dir, *ADMIN) as second:
        # Then the account logs in, under its new name, and sees its container
        login = _login(second.url, changes["email"])
        assert login.status_code == 200, "\n".join(second.output)
        assert login.json()["user"]["name"] == "After"
        headers = _bearer(login)
        listed = requests.get(f"{second.url}/api/containers", headers=headers, timeout=30).json()
        assert changes["container_id"] in [item["id"] for item in listed["containers"]]
        # And the token that logged out stays revoked
        profile = requests.get(f"{second.url}/api/users/profile", headers=changes["revoked"], timeout=30)
        assert profile.status_code == 401
        deleted = requests.delete(
            f"{second.url}/api/containers/{changes['container_id']}", headers=headers, timeout=60
        )
        assert deleted.status_code in (202, 204), deleted.text


def test_a_clean_stop_and_an_immediate_restart_on_the_same_port(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    port = free_port()
    # Given a stack that registered an account and was stopped with Ctrl-C
    with running_devstack(data_dir, *ADMIN, port=port) as first:
        account = {"email": "again@example.test", "password": PASSWORD, "name": "Again"}
        assert requests.post(f"{first.url}/api/auth/register", json=account, timeout=30).status_code == 201
        first.process.send_signal(signal.SIGINT)
        assert first.process.wait(timeout=60) == 0, "\n".join(first.output)

    # When it is started again right away on the same port
    with running_devstack(data_dir, *ADMIN, port=port) as second:
        # Then it answers there, with the account
        assert second.url.endswith(f":{port}")
        assert _login(second.url, "again@example.test").status_code == 200
    # And its data dir is readable by its owner only
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700
