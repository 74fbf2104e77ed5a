"""The local stack's mailbox page: received mail listed and readable, escaped, nothing outside the folder."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

import pytest

from devstack.mailbox import Mailbox, is_mailbox_path

NAME = "00000001700000000000-0a1b2c3d"


@pytest.fixture
def box(tmp_path: Path) -> Mailbox:
    """A mail folder as devstack/smtp.py writes it, with one message whose subject tries to inject HTML."""
    message = EmailMessage()
    message["From"] = "support@containerstacks.local"
    message["To"] = "ann@example.test"
    message["Subject"] = "Re: <script>alert(1)</script> [ticket 01ABC]"
    message.set_content("Hello Ann,\n\nwe fixed it.\n")
    (tmp_path / f"{NAME}.eml").write_bytes(b"X-Envelope-To: ann@example.test\r\n" + message.as_bytes())
    (tmp_path.parent / "secret.eml").write_text("not mail")
    return Mailbox(tmp_path)


def test_the_list_shows_each_message_with_its_recipient_and_escaped_subject(box: Mailbox) -> None:
    page = box.respond("/_mail")
    text = page.body.decode()
    assert page.status == 200 and page.headers["Content-Type"].startswith("text/html")
    assert "ann@example.test" in text and f"/_mail/{NAME}" in text
    assert "<script>" not in text and "&lt;script&gt;" in text
    assert "default-src 'self'" in page.headers["Content-Security-Policy"]


def test_a_message_reads_as_headers_and_plain_text(box: Mailbox) -> None:
    page = box.respond(f"/_mail/{NAME}")
    assert page.status == 200 and "we fixed it." in page.body.decode()
    raw = box.respond(f"/_mail/{NAME}.eml")
    assert raw.status == 200 and raw.headers["Content-Type"].startswith("text/plain")
    assert b"X-Envelope-To: ann@example.test" in raw.body


@pytest.mark.parametrize(
    "path", ["/_mail/../secret", "/_mail/%2e%2e%2fsecret.eml", "/_mail/nope", "/_mail/x.eml"]
)
def test_nothing_but_a_received_message_is_served(box: Mailbox, path: str) -> None:
    assert box.respond(path).status == 404


def test_an_empty_or_missing_folder_says_so(tmp_path: Path) -> None:
    assert b"No mail yet" in Mailbox(tmp_path / "absent").respond("/_mail/").body
    assert (
        is_mailbox_path("/_mail?x=1")
        and not is_mailbox_path("/_mailer")
        and not is_mailbox_path("/api/_mail")
    )
