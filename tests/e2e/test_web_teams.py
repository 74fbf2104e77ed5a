"""Teams in a real browser: web/e2e/teams.spec.ts (an owner invites by link, the invitee signs up on the
way, joins as a developer, is made a viewer) against `python -m devstack`, like tests/e2e/test_web.py.

Every page it opens is checked with axe-core and screenshotted at 360 px and desktop width (team-*.png).
"""

from __future__ import annotations

from pathlib import Path

import pytest

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

SPEC = "e2e/teams.spec.ts"


@pytest.mark.timeout(PLAYWRIGHT_TIMEOUT + 180)
def test_a_team_is_built_by_invitation_in_a_real_browser(tmp_path: Path) -> None:
    # Given the built web app, its test tools and Debian's Chromium
    missing = _missing()
    assert not missing, "the browser tests need: " + ", ".join(missing) + " (or run `make test`)"
    # And the local stack serving it (with its SMTP server: the invitation is mailed)
    with running_devstack(tmp_path / "data", ADMIN_EMAIL, ADMIN_PASSWORD) as stack:
        host_ids = _host_ids(stack.url)
        try:
            # When the team's browser test runs against it
            status = _run_playwright(stack.url, [SPEC])
        finally:
            _remove_engine_containers(host_ids)
    # Then it passed (its report is printed above)
    assert status == 0, "Playwright failed; failure screenshots are under web/test-results/playwright/"
