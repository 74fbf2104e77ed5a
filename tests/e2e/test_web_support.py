"""Support in a real browser, and the mail it causes, against a local stack of its own.

web/e2e/support.flow.ts (Playwright + Debian's Chromium, config web/e2e/support-flow.config.ts): a
customer opens a ticket, the administrator answers, resolves and takes it on the support desk, both read the
mail on the stack's /_mail page, the customer reopens, replies and closes it. Then this test reads the .eml
files the stack's SMTP server wrote: the right recipients got the right messages. Pages are checked with
axe-core and screenshotted like the other browser tests.
"""

from __future__ import annotations

import time
from email.message import EmailMessage
from pathlib import Path

import pytest

from devstack.smtp import read_mail
from tests.e2e.test_web import (
    ADMIN_EMAIL,
    ADMIN_PASSWORD,
    PLAYWRIGHT_TIMEOUT,
    _missing,
    _run_playwright,
)
from tests.support.devstack_process import running_devstack

pytestmark = [pytest.mark.e2e, pytest.mark.docker, pytest.mark.browser]

CONFIG = "e2e/support-flow.config.ts"


def _run_flow(url: str, run_id: str) -> int:
    return _run_playwright(url, ["--config", CONFIG], {"CS_E2E_RUN": run_id})


def _to(message: EmailMessage) -> set[str]:
    return {a.strip() for a in str(message["X-Envelope-To"]).split(",")}


def _subject(message: EmailMessage) -> str:
    """The Subject unfolded (a long one is folded after "Subject:", which leaves a leading space)."""
    return " ".join(str(message["Subject"]).split())


def _mail_to(mail_dir: Path, address: str) -> list[EmailMessage]:
    return [m for m in read_mail(mail_dir) if address in _to(m)]


@pytest.mark.timeout(PLAYWRIGHT_TIMEOUT + 180)
def test_support_in_a_real_browser_and_the_mail_it_sends(tmp_path: Path) -> None:
    # Given the built web app, its test tools and Debian's Chromium, and a stack of its own
    missing = _missing()
    assert not missing, "the browser tests need: " + ", ".join(missing) + " (or run `make test`)"
    run_id = f"s{int(time.time()):x}"
    customer = f"support-customer-{run_id}@example.test"
    with running_devstack(tmp_path / "data", ADMIN_EMAIL, ADMIN_PASSWORD) as stack:
        # And the stack said where its mail can be read
        assert any(line.startswith("mail the app sends is readable at ") for line in stack.output)
        # When the support flow runs in the browser
        status = _run_flow(stack.url, run_id)
        mail_dir = stack.data_dir / "mail"
        # Then it passed (its report is printed above)
        assert status == 0, (
            "Playwright failed; failure screenshots are under web/test-results/playwright-support/"
        )
        # And the administrator got the new ticket and the customer's later reply (with its text)
        to_admin = _mail_to(mail_dir, ADMIN_EMAIL)
        subjects = [_subject(m) for m in to_admin]
        assert any(
            s.startswith("[Support] New urgent ticket from Cora Customer's organization") for s in subjects
        )
        reply = next(m for m in to_admin if _subject(m).startswith("[Support] Cora Customer replied"))
        assert "It happened again at noon." in reply.get_content()
        assert any(s.startswith("[Support] Reopened:") for s in subjects)
        # And the customer got support's reply and the status change, and nothing meant for operators
        to_customer = _mail_to(mail_dir, customer)
        assert {_subject(m).split(" [ticket")[0].split(" is now")[0] for m in to_customer} >= {
            f"Re: Database keeps restarting {run_id}",
            f'Your ticket "Database keeps restarting {run_id}"',
        }
        assert not any(_subject(m).startswith("[Support]") for m in to_customer)
        assert all(_to(m) == {customer} for m in to_customer)
