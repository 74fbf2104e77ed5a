"""Helpers of the image registry tests: docker save tarballs and build contexts made locally FROM scratch with
busybox (nothing pulled), uploads through the presigned URL as a client does, and engine clean-up."""

from __future__ import annotations

import contextlib
import io
import tarfile
import time
import urllib.request
import uuid
from pathlib import Path
from typing import Any

import pytest

from devstack.images import BUSYBOX, build_web_image
from tests.support.api import User
from tests.support.images import docker_url

BUILD_DOCKERFILE = """\
FROM scratch
COPY busybox /bin/busybox
RUN ["/bin/busybox", "--install", "-s", "/bin"]
RUN mkdir -p /www && echo 'built by containerstacks' > /www/index.html
CMD ["/bin/sh", "-c", "trap 'exit 0' TERM; httpd -f -p 80 -h /www & wait"]
"""


def saved_web_image(path: Path, page: str) -> Path:
    """`docker save` of a fresh busybox web image serving `page`, written to `path`; the image itself is
    removed from the engine again (only the tarball remains)."""
    import docker

    tag = f"cs-test-upload-{uuid.uuid4().hex[:8]}:v1"
    build_web_image(docker_url(), tag, page)
    client = docker.DockerClient(base_url=docker_url(), timeout=120)
    try:
        with path.open("wb") as out:
            for chunk in client.api.get_image(tag):
                out.write(chunk)
        client.images.remove(tag, force=True)
    finally:
        client.close()
    return path


def busybox_context() -> bytes:
    """A build context (tar) holding only the static busybox."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        tar.add(str(BUSYBOX), arcname="busybox")
    return buffer.getvalue()


def put(upload: dict[str, Any], data: bytes) -> int:
    """PUT `data` to a presigned upload as the browser would."""
    assert str(upload["url"]).startswith("http://127.0.0.1:")  # the local stack's S3 (moto)
    request = urllib.request.Request(upload["url"], data=data, method="PUT", headers=upload["headers"])  # noqa: S310
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
        return int(response.status)


def wait_for_image(user: User, image_id: str, timeout: float = 120.0) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        reply = user.call("GET", f"/api/images/{image_id}")
        assert reply.status == 200, reply.body
        if reply.body["status"] in ("ready", "error"):
            return dict(reply.body)
        if time.monotonic() > deadline:
            pytest.fail(f"image stayed {reply.body['status']} for {timeout}s")
        time.sleep(0.3)


def upload_image(user: User, data: bytes, name: str = "web", tag: str = "1") -> dict[str, Any]:
    """Announce, PUT, complete and wait: the image record as it ends (ready or error)."""
    announced = user.call("POST", "/api/images/upload", {"name": name, "tag": tag, "size_bytes": len(data)})
    assert announced.status == 201, announced.body
    assert put(announced.body["upload"], data) == 200
    completed = user.call("POST", f"/api/images/{announced.body['image']['id']}/complete")
    assert completed.status == 202, completed.body
    return wait_for_image(user, announced.body["image"]["id"])


def engine_has(reference: str) -> bool:
    import docker
    import docker.errors

    client = docker.DockerClient(base_url=docker_url(), timeout=60)
    try:
        client.images.get(reference)
        return True
    except docker.errors.ImageNotFound:
        return False
    finally:
        client.close()


def remove_org_images(org_ids: list[str]) -> None:
    """Remove every image under the test organizations' namespaces (even after a failed test)."""
    import docker
    import docker.errors

    client = docker.DockerClient(base_url=docker_url(), timeout=120)
    try:
        for image in client.images.list():
            for tag in image.tags:
                if any(tag.startswith(f"cs-img-{org.lower()}/") for org in org_ids):
                    with contextlib.suppress(docker.errors.APIError):
                        client.images.remove(tag, force=True)
    finally:
        client.close()
