"""Test images built locally FROM scratch with Debian's static busybox (nothing is ever pulled)."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

BUSYBOX = Path("/bin/busybox")
TEST_IMAGE = "cs-test-web:local"
PAGE = "hello from containerstacks"
STDOUT_LINE = "cs-test-web starting"
STDERR_LINE = "cs-test-web warming up"

# The shell stays PID 1 and exits on SIGTERM: httpd as PID 1 would ignore it, making every stop wait 10 s.
_DOCKERFILE = f"""\
FROM scratch
COPY busybox /bin/busybox
RUN ["/bin/busybox", "--install", "-s", "/bin"]
RUN mkdir -p /www && echo '{PAGE}' > /www/index.html
CMD ["/bin/sh", "-c", "echo '{STDOUT_LINE}'; echo '{STDERR_LINE}' >&2; trap 'exit 0' TERM; \
httpd -f -v -p 80 -h /www & wait"]
"""


def docker_url() -> str:
    """The engine the tests talk to: DOCKER_HOST if set, else the local unix socket."""
    return os.environ.get("DOCKER_HOST") or "unix:///var/run/docker.sock"


def build_test_image(tag: str = TEST_IMAGE) -> str:
    """Build (or reuse) a tiny busybox web server image; returns its tag."""
    import docker
    import docker.errors

    client = docker.DockerClient(base_url=docker_url(), timeout=120)
    try:
        try:
            client.images.get(tag)
            return tag
        except docker.errors.ImageNotFound:
            pass
        with tempfile.TemporaryDirectory(prefix="cs-test-image-") as context:
            shutil.copy2(BUSYBOX, Path(context, "busybox"))
            Path(context, "Dockerfile").write_text(_DOCKERFILE)
            client.images.build(path=context, tag=tag, rm=True, forcerm=True, pull=False, network_mode="none")
        return tag
    finally:
        client.close()


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
