"""The marketplace, resources and packages pages in a real browser (web/e2e/marketplace.spec.ts) against
`python -m devstack`, which builds the offline templates' images itself: find an app, see its price, deploy it
through its form onto the real engine, see it count against the package, delete it; an administrator's
packages page. axe-core and screenshots as in tests/e2e/test_web.py."""

from __future__ import annotations

import contextlib
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

pytestmark = [pytest.mark.e2e, pytest.mark.docker, pytest.mark.browser]
SPEC = "marketplace.spec.ts"


@pytest.mark.timeout(PLAYWRIGHT_TIMEOUT + 180)
def test_the_marketplace_and_resources_pages_in_a_real_browser(tmp_path: Path) -> None:
    # Given the built web app, its test tools and Debian's Chromium
    missing = _missing()
    assert not missing, "the browser tests need: " + ", ".join(missing) + " (or run `make test`)"
    # And the local stack serving it (with the offline templates' images built)
    with running_devstack(tmp_path / "data", ADMIN_EMAIL, ADMIN_PASSWORD) as stack:
        host_ids = _host_ids(stack.url)
        try:
            # When the marketplace's browser tests run against it
            status = _run_playwright(stack.url, [SPEC])
        finally:
            with contextlib.suppress(requests.RequestException):
                host_ids = sorted({*host_ids, *_host_ids(stack.url)})
            _remove_engine_containers(host_ids)
    # Then they passed (their report is printed above)
    assert status == 0, "Playwright failed; failure screenshots are under web/test-results/playwright/"
