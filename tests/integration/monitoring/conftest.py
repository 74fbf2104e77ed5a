"""Monitoring tests: a webhook receiver on 127.0.0.1, and an image whose process keeps one core busy."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from devstack.images import build_busybox_image
from tests.support import images
from tests.support.webhooks import loopback_webhooks, receiver

__all__ = ["loopback_webhooks", "receiver"]

BURN_DOCKERFILE = """\
FROM scratch
COPY busybox /bin/busybox
RUN ["/bin/busybox", "--install", "-s", "/bin"]
CMD ["/bin/sh", "-c", "while :; do :; done"]
"""


@pytest.fixture(scope="session")
def burn_image() -> Iterator[str]:
    """Tag of a busybox image whose shell spins (as much CPU as its limit allows), removed at the end."""
    tag = build_busybox_image(images.docker_url(), f"cs-test-burn:{uuid.uuid4().hex[:8]}", BURN_DOCKERFILE)
    yield tag
    images.remove_test_image(tag)
