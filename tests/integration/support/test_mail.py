"""Support mail over the real path: API -> DynamoDB outbox -> the mail function -> the local SMTP server."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta
from email.message import EmailMessage
from typing import Any

import pytest

from chalicelib.domain.shared.clock import utcnow
from devstack.net import free_port
from devstack.periodic import run_scheduled
from devstack.smtp import MailServer
from tests.support.api import Api, User

SUPPORT_ADDRESS = "helpdesk@example.test"


@pytest.fixture
def mail_settings(monkeypatch: pytest.MonkeyPatch, smtp: MailServer) -> MailServer:
    """The app mails through the session's SMTP server, support's own address included."""
    from chalicelib import wiring

    monkeypatch.setenv("CS_SUPPORT_EMAIL", SUPPORT_ADDRESS)
    monkeypatch.setenv("CS_PUBLIC_URL", "http://127.0.0.1:8000")
    wiring.reset()
    return smtp


def deliver() -> dict[str, int]:
    """Run the mail schedule once, as EventBridge would."""
    result = run_scheduled("SupportMail")
    assert isinstance(result, dict)
    return result


def envelope(message: EmailMessage) -> set[str]:
    return {address.strip() for address in str(message["X-Envelope-To"]).split(",")}


def text(message: EmailMessage) -> str:
    """The plain-text body with its line breaks as written."""
    return str(message.get_content()).replace("\r\n", "\n")


def open_ticket(user: User, subject: str = "Database keeps restarting") -> str:
    reply = user.call(
        "POST",
        "/api/support/tickets",
        {
            "subject": subject,
            "message": "It restarts every 5 minutes.\nLogs attached.",
            "priority": "urgent",
            "category": "technical",
        },
    )
    assert reply.status == 201, reply.body
    assert reply.body["status"] == "open"
    return str(reply.body["ticket_id"])


def test_a_new_ticket_reaches_every_administrator_and_the_support_address(
    api: Api, mail_settings: MailServer
) -> None:
    # Given two platform administrators and a customer
    admins = [api.admin(), api.admin()]
    ann = api.user("Ann")
    # When Ann opens a ticket and the mail schedule runs
    ticket_id = open_ticket(ann)
    assert mail_settings.messages() == []  # the request did not send anything itself
    assert deliver()["delivered"] == 1
    # Then each administrator and the support address got one message with the ticket
    received = mail_settings.messages()
    assert sorted(address for m in received for address in envelope(m)) == sorted(
        [a.email for a in admins] + [SUPPORT_ADDRESS]
    )
    message = received[0]
    assert (
        message["Subject"] == "[Support] New urgent ticket from Ann's organization: Database keeps restarting"
    )
    body = text(message)
    assert "It restarts every 5 minutes.\nLogs attached." in body
    assert ann.email in body and f"http://127.0.0.1:8000/admin/support/{ticket_id}" in body
    # And a second run sends nothing again
    assert deliver()["emails"] == 0 and len(mail_settings.messages()) == 3


def test_support_replies_and_status_changes_reach_the_customer_and_customer_replies_reach_support(
    api: Api, mail_settings: MailServer
) -> None:
    admin, ann = api.admin(), api.user("Ann")
    ticket_id = open_ticket(ann, "Invoice is wrong")
    deliver()
    mail_settings.clear()
    # When support replies, Then Ann (only) is mailed the reply
    reply = admin.call(
        "POST", f"/api/admin/support/tickets/{ticket_id}/replies", {"message": "Fixed, sorry!"}
    )
    assert reply.status == 201 and reply.body["is_admin_reply"] is True
    deliver()
    [to_ann] = mail_settings.messages()
    assert envelope(to_ann) == {ann.email}
    assert to_ann["Subject"] == f"Re: Invoice is wrong [ticket {ticket_id}]"
    assert "Fixed, sorry!" in text(to_ann) and "The ticket is in progress." in text(to_ann)
    # When support resolves it, Then Ann is told the new status
    mail_settings.clear()
    assert (
        admin.call("PATCH", f"/api/admin/support/tickets/{ticket_id}", {"status": "resolved"}).status == 200
    )
    deliver()
    [status] = mail_settings.messages()
    assert (
        envelope(status) == {ann.email}
        and status["Subject"] == 'Your ticket "Invoice is wrong" is now resolved'
    )
    # When Ann answers, Then support is mailed her reply (and the ticket is open again)
    mail_settings.clear()
    assert (
        ann.call("POST", f"/api/support/tickets/{ticket_id}/replies", {"message": "Not fixed."}).status == 201
    )
    deliver()
    [to_support] = [m for m in mail_settings.messages() if admin.email in envelope(m)]
    assert "Not fixed." in text(to_support) and "now open" in text(to_support)


def test_an_unreachable_mail_server_delays_mail_without_failing_the_request(
    api: Api, mail_settings: MailServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    from chalicelib import wiring
    from chalicelib.domain.support.delivery import MailDelivery
    from chalicelib.domain.support.entities import RetryPolicy
    from chalicelib.store.support.directory import AccountsDirectory
    from chalicelib.store.support.outbox import OutboxRepository
    from chalicelib.wiring.support import support_mailer

    admin, ann = api.admin(), api.user("Ann")
    # Given a mail server nobody answers at
    monkeypatch.setenv("CS_SMTP_PORT", str(free_port()))
    wiring.reset()
    # When Ann opens a ticket, Then it is created all the same
    ticket_id = open_ticket(ann)
    # And the mail schedule cannot deliver: the message waits in the outbox with its error
    assert deliver() == {"delivered": 0, "deferred": 1, "emails": 0, "skipped": 0}
    [waiting] = OutboxRepository().pending(ann.org_id)
    assert waiting.attempts == 1 and waiting.last_error and mail_settings.messages() == []
    # When the server answers again and the back-off has passed
    monkeypatch.setenv("CS_SMTP_PORT", str(mail_settings.port))
    wiring.reset()
    later = MailDelivery(
        OutboxRepository(),
        support_mailer,
        AccountsDirectory(),
        RetryPolicy(),
        SUPPORT_ADDRESS,
        clock=lambda: utcnow() + timedelta(minutes=1),
    )
    report = later.deliver_due()
    # Then the mail arrives, and nothing is left waiting
    assert report.delivered == 1
    assert {a for m in mail_settings.messages() for a in envelope(m)} == {admin.email, SUPPORT_ADDRESS}
    assert ticket_id in text(mail_settings.messages()[0])
    assert OutboxRepository().pending(ann.org_id) == []


def test_the_smtp_secret_names_the_server_and_the_sender(
    api: Api, mail_settings: MailServer, monkeypatch: pytest.MonkeyPatch, aws: Any
) -> None:
    from chalicelib import wiring

    # Given the SMTP settings only in a Secrets Manager secret, as the deployment keeps them
    secret = {"host": "127.0.0.1", "port": str(mail_settings.port), "sender": "desk@example.test"}
    arn = aws.client("secretsmanager").create_secret(
        Name=f"smtp-{uuid.uuid4().hex}", SecretString=json.dumps(secret)
    )
    for name in ("CS_SMTP_HOST", "CS_SMTP_PORT", "CS_SUPPORT_MAIL_FROM"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CS_SMTP_SECRET_ARN", arn["ARN"])
    wiring.reset()
    admin, ann = api.admin(), api.user("Ann")
    # When a ticket is opened and the mail schedule runs
    open_ticket(ann)
    deliver()
    # Then the mail went through the secret's server, from the secret's sender
    received = mail_settings.messages()
    assert {a for m in received for a in envelope(m)} == {admin.email, SUPPORT_ADDRESS}
    assert {str(m["From"]) for m in received} == {"desk@example.test"}
