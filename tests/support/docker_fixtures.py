"""Pytest fixtures for tests that need a real Docker Engine (enable with pytest_plugins)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

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
    """Tag of the busybox web image, built once per session and removed at the end. The tag is the
    session's own: test sessions share one engine, and one removing a shared tag broke the others."""
    tag = images.build_test_image(f"{images.TEST_IMAGE.partition(':')[0]}:{uuid.uuid4().hex[:12]}")
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
    """Force-remove every container, then every volume, carrying all of `labels`."""
    import docker

    client = docker.DockerClient(base_url=images.docker_url(), timeout=60)
    try:
        selector = {"label": [f"{key}={value}" for key, value in labels.items()]}
        for container in client.containers.list(all=True, filters=selector, ignore_removed=True):
            container.remove(force=True)
        for volume in client.volumes.list(filters=selector):
            volume.remove(force=True)
    finally:
        client.close()
