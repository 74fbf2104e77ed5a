"""`python -m devstack` as `make dev` runs it, driven over HTTP: sign up, deploy, reach, delete, stop."""

from __future__ import annotations

import signal
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from devstack.images import SAMPLE_IMAGE
from devstack.net import free_port
from tests.support import images
from tests.support.devstack_process import RunningStack, running_devstack

pytestmark = [pytest.mark.e2e, pytest.mark.docker]


@pytest.fixture
def devstack(tmp_path: Path) -> Iterator[RunningStack]:
    """The local stack started like `make dev` does, on free ports, with its data in a temporary dir."""
    with running_devstack(tmp_path / "data", "operator@example.test", "operator-password") as stack:
        yield stack


def _eventually(check: Callable[[], Any], timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.5)


def _engine_containers_labelled(value: str) -> list[Any]:
    import docker

    client = docker.DockerClient(base_url=images.docker_url(), timeout=60)
    try:
        found = client.containers.list(all=True, ignore_removed=True)
        return [c.id for c in found if value in (c.labels or {}).values()]
    finally:
        client.close()


def _remove_engine_containers_labelled(value: str) -> None:
    import docker

    client = docker.DockerClient(base_url=images.docker_url(), timeout=60)
    try:
        for container_id in _engine_containers_labelled(value):
            client.containers.get(container_id).remove(force=True)
    finally:
        client.close()


def _sign_up(url: str) -> dict[str, str]:
    account = {"email": "e2e@example.test", "password": "correct horse battery", "name": "E2E"}
    assert requests.post(f"{url}/api/auth/register", json=account, timeout=30).status_code == 201
    credentials = {"email": account["email"], "password": account["password"]}
    login = requests.post(f"{url}/api/auth/login", json=credentials, timeout=30)
    assert login.status_code == 200
    body = login.json()
    assert body["success"] is True
    assert body["user"]["email"] == account["email"]
    return {"Authorization": f"Bearer {body['token']}"}


def _page(host_port: int) -> str | None:
    try:
        return requests.get(f"http://127.0.0.1:{host_port}/", timeout=5).text
    except requests.ConnectionError:
        return None


def test_deploy_reach_and_delete_a_container_then_stop(devstack: RunningStack) -> None:
    # Given a signed-up user on the running stack
    headers = _sign_up(devstack.url)
    host_port = free_port()
    spec = {
        "name": "e2e-web",
        "image": SAMPLE_IMAGE,  # built by the local stack itself, as `make dev` does
        "resources": {"cpu": "0.5", "memory": "64Mi", "storage": "1Gi"},
        "ports": [{"container": 80, "host": host_port}],
    }
    # When they deploy a container
    created = requests.post(f"{devstack.url}/api/containers", json=spec, headers=headers, timeout=30)
    assert created.status_code == 202, created.text
    container_id = created.json()["id"]
    try:
        assert created.json()["status"] == "provisioning"

        # Then it becomes running and serves its page on the published port
        def running() -> bool:
            record = requests.get(
                f"{devstack.url}/api/containers/{container_id}", headers=headers, timeout=30
            )
            return bool(record.json()["status"] == "running")

        _eventually(running, 60, "status running")
        page = _eventually(lambda: _page(host_port), 30, "the container's page")
        assert "hello from containerstacks" in page

        # When it is deleted, Then the engine has no container of it any more
        deleted = requests.delete(
            f"{devstack.url}/api/containers/{container_id}", headers=headers, timeout=60
        )
        assert deleted.status_code in (202, 204), deleted.text
        _eventually(lambda: not _engine_containers_labelled(container_id), 60, "engine containers removed")
    finally:
        _remove_engine_containers_labelled(container_id)

    # When the stack is interrupted, Then it exits cleanly and leaves its snapshot
    devstack.process.send_signal(signal.SIGINT)
    assert devstack.process.wait(timeout=60) == 0, "\n".join(devstack.output)
    assert (devstack.data_dir / "snapshot.json").is_file()
