"""Test images: the local stack's busybox web image under a test tag (nothing is ever pulled)."""

from __future__ import annotations

import os

from devstack.images import PAGE as PAGE
from devstack.images import build_web_image

TEST_IMAGE = "cs-test-web:local"
STDOUT_LINE = "cs-test-web starting"
STDERR_LINE = "cs-test-web warming up"


def docker_url() -> str:
    """The engine the tests talk to: DOCKER_HOST if set, else the local unix socket."""
    return os.environ.get("DOCKER_HOST") or "unix:///var/run/docker.sock"


def build_test_image(tag: str = TEST_IMAGE) -> str:
    """Build (or reuse) a tiny busybox web server image; returns its tag."""
    return build_web_image(docker_url(), tag, PAGE, STDOUT_LINE, STDERR_LINE)


def remove_test_image(tag: str = TEST_IMAGE) -> None:
    """Remove the image built by build_test_image; no error when it is already gone."""
    import docker
    import docker.errors

    client = docker.DockerClient(base_url=docker_url(), timeout=120)
    try:
        client.images.remove(tag, force=True)
    except docker.errors.ImageNotFound:
        pass
    finally:
        client.close()
