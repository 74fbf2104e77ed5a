"""Images in a real browser against a local stack of its own: web/e2e/images.flow.ts (config
web/e2e/images-flow.config.ts) uploads a docker save tarball through the presigned S3 URL with
XMLHttpRequest (moto answers the browser's CORS preflight) and builds an image while its log is polled.
The tarball and the context are made here FROM scratch with busybox; every image the flow made is removed."""

from __future__ import annotations

import contextlib
import time
from pathlib import Path

import pytest

from tests.e2e.test_web import ADMIN_EMAIL, ADMIN_PASSWORD, PLAYWRIGHT_TIMEOUT, _missing, _run_playwright
from tests.support.devstack_process import running_devstack
from tests.support.image_registry import busybox_context, saved_web_image
from tests.support.images import docker_url

pytestmark = [pytest.mark.e2e, pytest.mark.docker, pytest.mark.browser]

CONFIG = "e2e/images-flow.config.ts"


def _remove_flow_images(run_id: str) -> None:
    import docker
    import docker.errors

    client = docker.DockerClient(base_url=docker_url(), timeout=120)
    try:
        for image in client.images.list():
            for tag in image.tags:
                repository = tag.split("/", 1)[-1]
                if tag.startswith("cs-img-") and repository in (f"web-{run_id}:1", f"site-{run_id}:v2"):
                    with contextlib.suppress(docker.errors.APIError):
                        client.images.remove(tag, force=True)
    finally:
        client.close()


@pytest.mark.timeout(PLAYWRIGHT_TIMEOUT + 240)
def test_images_are_uploaded_and_built_in_a_real_browser(tmp_path: Path) -> None:
    missing = _missing()
    assert not missing, "the browser tests need: " + ", ".join(missing) + " (or run `make test`)"
    run_id = f"i{int(time.time()):x}"
    tarball = saved_web_image(tmp_path / "web.tar", "hello from the browser")
    context = tmp_path / "context.tar"
    context.write_bytes(busybox_context())
    try:
        with running_devstack(tmp_path / "data", ADMIN_EMAIL, ADMIN_PASSWORD) as stack:
            status = _run_playwright(
                stack.url,
                ["--config", CONFIG],
                {"CS_E2E_RUN": run_id, "CS_E2E_IMAGE_TAR": str(tarball), "CS_E2E_CONTEXT_TAR": str(context)},
            )
            assert status == 0, "Playwright failed; screenshots are under web/test-results/playwright-images/"
    finally:
        _remove_flow_images(run_id)
