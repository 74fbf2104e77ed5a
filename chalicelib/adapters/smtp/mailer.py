"""SmtpMailer: templated plain-text email over SMTP (SMTP2GO or any relay in AWS, aiosmtpd locally)."""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Mapping
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Literal

from chalicelib.adapters.smtp.templates import render
from chalicelib.domain.shared.errors import ServiceUnavailable

Security = Literal["starttls", "ssl", "none"]


class SmtpMailer:
    """Implements the Mailer port. Raises KeyError for an unknown template, ServiceUnavailable when the
    server does not answer, refuses the login or refuses the message.

    `security`: "starttls" upgrades the connection before logging in (SMTP2GO on 2525/587), "ssl" connects
    with TLS (465), "none" talks plain SMTP (the local stack's server). TLS verifies the server's certificate.
    """

    def __init__(
        self,
        host: str,
        port: int,
        sender: str,
        *,
        timeout: float = 10.0,
        username: str = "",
        password: str = "",
        security: Security = "none",
    ) -> None:
        self._host = host
        self._port = port
        self._sender = sender
        self._timeout = timeout
        self._username = username
        self._password = password
        self._security = security

    def send(self, to: str, template: str, values: Mapping[str, str]) -> None:
        subject, body = render(template, dict(values))
        message = EmailMessage()
        message["From"] = self._sender
        message["To"] = to
        message["Subject"] = " ".join(subject.split())  # one header line, whatever the values held
        message["Date"] = formatdate(usegmt=True)
        message["Message-ID"] = make_msgid(domain=self._sender.rpartition("@")[2] or None)
        message.set_content(body)
        if not self._host:
            raise ServiceUnavailable("No mail server is configured (CS_SMTP_HOST).")
        try:
            with self._connect() as smtp:
                if self._username:
                    smtp.login(self._username, self._password)
                smtp.send_message(message)
        except (OSError, smtplib.SMTPException) as exc:
            raise ServiceUnavailable(f"The mail server did not take the message: {exc}") from exc

    def _connect(self) -> smtplib.SMTP:
        if self._security == "ssl":
            return smtplib.SMTP_SSL(
                self._host, self._port, timeout=self._timeout, context=ssl.create_default_context()
            )
        smtp = smtplib.SMTP(self._host, self._port, timeout=self._timeout)
        if self._security == "starttls":
            try:
                smtp.starttls(context=ssl.create_default_context())
            except BaseException:
                smtp.close()
                raise
        return smtp
