"""Test images: the local stack's busybox web image under a test tag (nothing is ever pulled)."""

from __future__ import annotations

import os
import uuid

from devstack.images import PAGE as PAGE
from devstack.images import build_busybox_image, build_web_image

# Tags of this test session: sessions running at once (other worktrees) never remove each other's images.
_SESSION = uuid.uuid4().hex[:8]
TEST_IMAGE = f"cs-test-web:{_SESSION}"
HOG_IMAGE = f"cs-test-hog:{_SESSION}"
# PID 1 itself (the shell) holds 100 MiB, so an out-of-memory kill ends the container (exit 137).
HOG_DOCKERFILE = """\
FROM scratch
COPY busybox /bin/busybox
RUN ["/bin/busybox", "--install", "-s", "/bin"]
CMD ["/bin/sh", "-c", "sleep 1; x=$(head -c 100m /dev/zero | tr '\\\\0' a); echo survived; sleep 100"]
"""
STDOUT_LINE = "cs-test-web starting"
STDERR_LINE = "cs-test-web warming up"


def docker_url() -> str:
    """The engine the tests talk to: DOCKER_HOST if set, else the local unix socket."""
    return os.environ.get("DOCKER_HOST") or "unix:///var/run/docker.sock"


def build_test_image(tag: str = TEST_IMAGE) -> str:
    """Build (or reuse) a tiny busybox web server image; returns its tag."""
    return build_web_image(docker_url(), tag, PAGE, STDOUT_LINE, STDERR_LINE)


def build_hog_image(tag: str = HOG_IMAGE) -> str:
    """Build (or reuse) a busybox image whose main process allocates 100 MiB a second after it starts."""
    return build_busybox_image(docker_url(), tag, HOG_DOCKERFILE)


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
