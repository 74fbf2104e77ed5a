"""The Kubernetes pages in a real browser (web/e2e/clusters/clusters.spec.ts): the administrator sees the
sandbox cluster the local stack registers, and a container deployed to it runs, logs, stops and is deleted."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.test_web import ADMIN_EMAIL, ADMIN_PASSWORD, PLAYWRIGHT_TIMEOUT, _missing, _run_playwright
from tests.support.devstack_process import running_devstack

pytestmark = [pytest.mark.e2e, pytest.mark.docker, pytest.mark.browser]


@pytest.mark.timeout(PLAYWRIGHT_TIMEOUT + 180)
def test_the_cluster_pages_in_a_real_browser(tmp_path: Path) -> None:
    # Given the built web app, its test tools and Debian's Chromium
    missing = _missing()
    assert not missing, "the browser tests need: " + ", ".join(missing) + " (or run `make test`)"
    # And the local stack serving it, with its Kubernetes sandbox registered as a cluster
    with running_devstack(tmp_path / "data", ADMIN_EMAIL, ADMIN_PASSWORD) as stack:
        # When the cluster browser tests run against it
        status = _run_playwright(stack.url, ["e2e/clusters/clusters.spec.ts"])
    # Then they passed (their report is printed above)
    assert status == 0, "Playwright failed; failure screenshots are under web/test-results/playwright/"
