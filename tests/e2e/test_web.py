"""The web app in a real browser: the Playwright tests in web/e2e/ drive Debian's Chromium against
`python -m devstack` started as `make dev` starts it (free port, data in a temporary directory).

Two runs, each against a stack of its own: the billing specs (the PayPal sandbox's approval page included;
alone: `pytest tests/e2e/test_web.py -k billing`) and every other spec.

Every page is checked with axe-core and screenshotted at 360 px and desktop width into
web/test-results/screenshots/. Containers the browser tests leave on the engine are removed afterwards.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
from pathlib import Path

import pytest
import requests

from devstack import REPO_ROOT
from tests.support.devstack_process import running_devstack
from tests.support.images import docker_url

pytestmark = [pytest.mark.e2e, pytest.mark.docker, pytest.mark.browser]

WEB = REPO_ROOT / "web"
PLAYWRIGHT_CLI = WEB / "node_modules" / "@playwright" / "test" / "cli.js"
CHROMIUM = Path(os.environ.get("CS_CHROMIUM", "/usr/bin/chromium"))
ADMIN_EMAIL = "operator@example.test"
ADMIN_PASSWORD = "operator-password"
PLAYWRIGHT_TIMEOUT = 600
BILLING_SPECS = ("billing.spec.ts",)
SUITES = {
    "billing": list(BILLING_SPECS),
    "pages": sorted(p.name for p in (WEB / "e2e").glob("*.spec.ts") if p.name not in BILLING_SPECS),
}


def _missing() -> list[str]:
    missing = []
    if shutil.which("node") is None:
        missing.append("node (Node.js >= 20.19)")
    if not PLAYWRIGHT_CLI.is_file():
        missing.append("web/node_modules (make web-deps)")
    if not (WEB / "dist" / "index.html").is_file():
        missing.append("web/dist (make web)")
    if not CHROMIUM.is_file():
        missing.append(f"{CHROMIUM} (make chromium)")
    return missing


def _run_playwright(url: str, specs: list[str], extra_env: dict[str, str] | None = None) -> int:
    """`playwright test <specs>` (spec files, or `--config <file>`) against the stack at `url`; its exit code.
    Every browser test runs Playwright through here."""
    env = {
        **os.environ,
        "CS_WEB_URL": url,
        "CS_ADMIN_EMAIL": ADMIN_EMAIL,
        "CS_ADMIN_PASSWORD": ADMIN_PASSWORD,
        "CS_CHROMIUM": str(CHROMIUM),
        "PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD": "1",
        **(extra_env or {}),
    }
    # Its own process group, so a hung run is ended with the browser it started.
    process = subprocess.Popen(
        ["node", str(PLAYWRIGHT_CLI), "test", *specs], cwd=WEB, env=env, start_new_session=True
    )
    try:
        return process.wait(timeout=PLAYWRIGHT_TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
        raise


def _host_ids(url: str) -> list[str]:
    login = requests.post(
        f"{url}/api/auth/login", json={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}, timeout=30
    )
    login.raise_for_status()
    headers = {"Authorization": f"Bearer {login.json()['token']}"}
    hosts = requests.get(f"{url}/api/admin/hosts", headers=headers, timeout=30)
    hosts.raise_for_status()
    return [str(host["id"]) for host in hosts.json()["hosts"]]


def _remove_engine_containers(host_ids: list[str]) -> None:
    """Every engine container this stack placed (labelled with one of its hosts, new in each stack)."""
    import docker

    client = docker.DockerClient(base_url=docker_url(), timeout=60)
    try:
        for host_id in host_ids:
            for found in client.containers.list(all=True, filters={"label": f"cs.host={host_id}"}):
                found.remove(force=True)
    finally:
        client.close()


@pytest.mark.timeout(PLAYWRIGHT_TIMEOUT + 180)
@pytest.mark.parametrize("suite", sorted(SUITES))
def test_the_web_app_in_a_real_browser(tmp_path: Path, suite: str) -> None:
    # Given the built web app, its test tools and Debian's Chromium
    missing = _missing()
    assert not missing, "the browser tests need: " + ", ".join(missing) + " (or run `make test`)"
    # And the local stack serving it
    with running_devstack(tmp_path / "data", ADMIN_EMAIL, ADMIN_PASSWORD) as stack:
        host_ids = _host_ids(stack.url)
        try:
            # When the browser tests run against it
            status = _run_playwright(stack.url, SUITES[suite])
        finally:
            with contextlib.suppress(requests.RequestException):  # hosts the admin test added, too
                host_ids = sorted({*host_ids, *_host_ids(stack.url)})
            _remove_engine_containers(host_ids)
    # Then every one of them passed (their report is printed above)
    assert status == 0, "Playwright failed; failure screenshots are under web/test-results/playwright/"
