"""The VPS pages in a real browser (web/e2e/vps/vps.spec.ts): a customer buys a VPS from the Linode sandbox
the local stack seeds, sees it running with an IP, reboots and deletes it; an administrator manages providers.

The stack is started as `make dev` starts it (tests/e2e/test_web.py's fixtures), with the sandbox booting a
Linode in a second and the VPS workflows checking every second."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.test_web import ADMIN_EMAIL, ADMIN_PASSWORD, PLAYWRIGHT_TIMEOUT, _missing, _run_playwright
from tests.support.devstack_process import running_devstack

pytestmark = [pytest.mark.e2e, pytest.mark.docker, pytest.mark.browser]

FAST_SANDBOX = {"CS_LINODE_STUB_BOOT_SECONDS": "1", "CS_VPS_POLL_SECONDS": "1"}


@pytest.mark.timeout(PLAYWRIGHT_TIMEOUT + 180)
def test_the_vps_pages_in_a_real_browser(tmp_path: Path) -> None:
    # Given the built web app, its test tools and Debian's Chromium
    missing = _missing()
    assert not missing, "the browser tests need: " + ", ".join(missing) + " (or run `make test`)"
    # And the local stack serving it, its Linode sandbox quick
    with running_devstack(tmp_path / "data", ADMIN_EMAIL, ADMIN_PASSWORD, extra_env=FAST_SANDBOX) as stack:
        # When the VPS browser tests run against it
        status = _run_playwright(stack.url, ["e2e/vps/vps.spec.ts"])
    # Then they passed (their report is printed above)
    assert status == 0, "Playwright failed; failure screenshots are under web/test-results/playwright/"
