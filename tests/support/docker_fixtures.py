"""Pytest fixtures for tests that need a real Docker Engine (enable with pytest_plugins)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from chalicelib.adapters.docker.engine import DockerEngine, connect_docker
from tests.support import images

TEST_RUN_LABEL = "cs.test-run"


@pytest.fixture(scope="session")
def docker_url() -> str:
    """URL of the engine under test."""
    return images.docker_url()


@pytest.fixture(scope="session")
def test_image() -> Iterator[str]:
    """Tag of the busybox web image, built once per session and removed at the end.

    The tag is the session's own: sessions run side by side on one engine, and one session's teardown must not
    remove the image another is deploying (identical builds share their layers, so this costs nothing).
    """
    tag = images.build_test_image(f"{images.TEST_IMAGE.partition(':')[0]}:{uuid.uuid4().hex[:12]}")
    yield tag
    images.remove_test_image(tag)


@pytest.fixture(scope="session")
def hog_image() -> Iterator[str]:
    """Tag of a busybox image that allocates 100 MiB a second after it starts, removed at the end."""
    tag = images.build_hog_image()
    yield tag
    images.remove_test_image(tag)


@pytest.fixture
def run_id() -> Iterator[str]:
    """A fresh `cs.test-run` label value; containers and volumes carrying it are removed afterwards."""
    run = uuid.uuid4().hex
    yield run
    cleanup_labels({TEST_RUN_LABEL: run})


@pytest.fixture
def engine(docker_url: str) -> Iterator[DockerEngine]:
    """A DockerEngine connected to the engine under test."""
    engine = connect_docker(docker_url)
    yield engine
    engine.close()


def cleanup_labels(labels: dict[str, str]) -> None:
    """Force-remove every container, then every volume and network, carrying all of `labels`."""
    import docker

    client = docker.DockerClient(base_url=images.docker_url(), timeout=60)
    try:
        selector = {"label": [f"{key}={value}" for key, value in labels.items()]}
        for container in client.containers.list(all=True, filters=selector, ignore_removed=True):
            container.remove(force=True)
        for volume in client.volumes.list(filters=selector):
            volume.remove(force=True)
        for network in client.networks.list(filters=selector):
            network.remove()
    finally:
        client.close()


@pytest.fixture
def raw(docker_url: str) -> Iterator[Any]:
    """A plain docker SDK client, to check what the engine really did."""
    import docker

    client = docker.DockerClient(base_url=docker_url, timeout=30)
    yield client
    client.close()


@pytest.fixture(scope="session")
def backup_helper_image() -> Iterator[str]:
    """The backups' helper image (busybox FROM scratch) under this session's tag, named by
    CS_BACKUP_HELPER_IMAGE for the session; removed at the end."""
    from chalicelib import wiring
    from devstack.images import build_backup_helper

    tag = build_backup_helper(images.docker_url(), f"cs-test-backup-helper:{uuid.uuid4().hex[:12]}")
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("CS_BACKUP_HELPER_IMAGE", tag)
            wiring.reset()
            yield tag
        wiring.reset()
    finally:
        images.remove_test_image(tag)
