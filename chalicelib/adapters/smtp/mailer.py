"""SmtpMailer: templated plain-text email over SMTP (SMTP2GO or any relay in AWS, aiosmtpd locally)."""

from __future__ import annotations

import smtplib
from collections.abc import Mapping
from email.message import EmailMessage

from chalicelib.adapters.smtp.templates import render
from chalicelib.domain.shared.errors import ServiceUnavailable


class SmtpMailer:
    """Implements the Mailer port. Raises KeyError for an unknown template, ServiceUnavailable when the
    server does not answer or refuses the message."""

    def __init__(self, host: str, port: int, sender: str, *, timeout: float = 10.0) -> None:
        self._host = host
        self._port = port
        self._sender = sender
        self._timeout = timeout

    def send(self, to: str, template: str, values: Mapping[str, str]) -> None:
        subject, body = render(template, dict(values))
        message = EmailMessage()
        message["From"] = self._sender
        message["To"] = to
        message["Subject"] = subject
        message.set_content(body)
        if not self._host:
            raise ServiceUnavailable("No mail server is configured (CS_SMTP_HOST).")
        try:
            with smtplib.SMTP(self._host, self._port, timeout=self._timeout) as smtp:
                smtp.send_message(message)
        except (OSError, smtplib.SMTPException) as exc:
            raise ServiceUnavailable(f"The mail server did not take the message: {exc}") from exc
