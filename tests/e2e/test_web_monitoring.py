"""/monitoring in a real browser: web/e2e/monitoring.spec.ts drives Debian's Chromium against
`python -m devstack`, whose MetricsCollect schedule samples the container the spec deploys."""

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
    _run_playwright,
)
from tests.e2e.test_web import _remove_engine_containers as remove_engine_containers
from tests.support.devstack_process import running_devstack

pytestmark = [pytest.mark.e2e, pytest.mark.docker, pytest.mark.browser]


@pytest.mark.timeout(PLAYWRIGHT_TIMEOUT + 180)
def test_monitoring_in_a_real_browser(tmp_path: Path) -> None:
    # Given the built web app and a local stack
    missing = _missing()
    assert not missing, "the browser tests need: " + ", ".join(missing) + " (or run `make test`)"
    with running_devstack(tmp_path / "data", ADMIN_EMAIL, ADMIN_PASSWORD) as stack:
        try:
            # When the monitoring spec runs against it
            status = _run_playwright(stack.url, ["e2e/monitoring.spec.ts"], {"CS_E2E_MONITORING": "1"})
        finally:
            with contextlib.suppress(requests.RequestException):
                remove_engine_containers(_host_ids(stack.url))
    # Then it passed
    assert status == 0, "Playwright failed; failure screenshots are under web/test-results/playwright/"
