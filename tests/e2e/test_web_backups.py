"""The backups page in a real browser (web/e2e/backups/backups.spec.ts) against `python -m devstack`: a
customer deploys a container with a volume, backs it up, sees it verified, restores and deletes it."""

from __future__ import annotations

import contextlib
import uuid
from pathlib import Path

import pytest
import requests

from tests.e2e.test_web import (
    ADMIN_EMAIL,
    ADMIN_PASSWORD,
    PLAYWRIGHT_TIMEOUT,
    _host_ids,
    _missing,
    _remove_engine_containers,
    _run_playwright,
)
from tests.support.devstack_process import running_devstack
from tests.support.images import docker_url

pytestmark = [pytest.mark.e2e, pytest.mark.docker, pytest.mark.browser]

SPEC = "e2e/backups/backups.spec.ts"
PASSWORD = "correct horse battery staple"  # web/e2e/support.ts


def _remove_volumes(url: str, user_email: str) -> None:
    """The volume the spec's container made (named after the user's organization)."""
    import docker

    login = requests.post(
        f"{url}/api/auth/login", json={"email": user_email, "password": PASSWORD}, timeout=30
    )
    if login.status_code != 200:
        return
    org_id = login.json()["user"]["default_organization_id"]
    client = docker.DockerClient(base_url=docker_url(), timeout=60)
    try:
        for volume in client.volumes.list(filters={"name": f"cs-{org_id}-"}):
            volume.remove(force=True)
    finally:
        client.close()


@pytest.mark.timeout(PLAYWRIGHT_TIMEOUT + 180)
def test_the_backups_page_in_a_real_browser(tmp_path: Path) -> None:
    # Given the built web app, its test tools and Debian's Chromium
    missing = _missing()
    assert not missing, "the browser tests need: " + ", ".join(missing) + " (or run `make test`)"
    run = uuid.uuid4().hex[:10]
    # And the local stack serving it
    with running_devstack(tmp_path / "data", ADMIN_EMAIL, ADMIN_PASSWORD) as stack:
        try:
            # When the backups browser test runs against it
            status = _run_playwright(stack.url, [SPEC], {"CS_E2E_RUN": run})
        finally:
            with contextlib.suppress(requests.RequestException):
                _remove_engine_containers(_host_ids(stack.url))
                _remove_volumes(stack.url, f"backups-{run}@example.test")
    # Then it passed (its report is printed above)
    assert status == 0, "Playwright failed; failure screenshots are under web/test-results/playwright/"
