"""The admin area and the audit logs in a real browser, against a local stack of its own.

web/e2e/admin-area.flow.ts (Playwright + Debian's Chromium, config web/e2e/admin-area-flow.config.ts): a
customer signs up; the operator finds and suspends them, opens their organization and the platform figures,
filters and downloads the audit log, lifts the suspension; the customer reads their organization's own log.
Then this test reads the trail through the API: the flow's actions are there, by whom and from where, and
the customer's suspended sign-in attempt too. Pages are checked with axe-core and screenshotted like the
other browser tests.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.e2e.test_web import (
    ADMIN_EMAIL,
    ADMIN_PASSWORD,
    PLAYWRIGHT_TIMEOUT,
    _missing,
    _run_playwright,
)
from tests.support.devstack_process import running_devstack

pytestmark = [pytest.mark.e2e, pytest.mark.docker, pytest.mark.browser]

CONFIG = "e2e/admin-area-flow.config.ts"


def _run_flow(url: str, run_id: str) -> int:
    return _run_playwright(url, ["--config", CONFIG], {"CS_E2E_RUN": run_id})


def _trail(url: str, action: str) -> list[dict[str, Any]]:
    login = requests.post(
        f"{url}/api/auth/login", json={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}, timeout=30
    )
    login.raise_for_status()
    reply = requests.get(
        f"{url}/api/admin/audit",
        params={"action": action, "limit": "100"},
        headers={"Authorization": f"Bearer {login.json()['token']}"},
        timeout=30,
    )
    reply.raise_for_status()
    return list(reply.json()["entries"])


@pytest.mark.timeout(PLAYWRIGHT_TIMEOUT + 180)
def test_the_admin_area_and_audit_logs_in_a_real_browser(tmp_path: Path) -> None:
    # Given the built web app, its test tools and Debian's Chromium, and a stack of its own
    missing = _missing()
    assert not missing, "the browser tests need: " + ", ".join(missing) + " (or run `make test`)"
    run_id = f"a{int(time.time()):x}"
    customer = f"audit-customer-{run_id}@example.test"
    with running_devstack(tmp_path / "data", ADMIN_EMAIL, ADMIN_PASSWORD) as stack:
        # When the admin-area flow runs in the browser
        status = _run_flow(stack.url, run_id)
        # Then it passed (its report is printed above)
        assert status == 0, (
            "Playwright failed; failure screenshots are under web/test-results/playwright-admin/"
        )
        # And the trail holds what the operator did to the customer, by whom and from where
        [suspended] = [e for e in _trail(stack.url, "user.suspended") if e["before"]["email"] == customer]
        assert suspended["actor_email"] == ADMIN_EMAIL and suspended["ip"] == "127.0.0.1"
        assert suspended["after"] == {"status": "suspended", "reason": "card reported stolen"}
        [lifted] = [e for e in _trail(stack.url, "user.unsuspended") if e["before"]["email"] == customer]
        assert lifted["after"] == {"status": "active"}
        # And the customer's attempt to sign in while suspended
        refused = [
            e for e in _trail(stack.url, "auth.login_refused") if e["target_id"] == suspended["target_id"]
        ]
        assert len(refused) == 1
