"""Mail: the SMTP connection settings every capability's mailer shares (SMTP2GO in AWS, the local stack's
server locally), with the credentials from Secrets Manager where the deployment keeps them."""

from __future__ import annotations

import json
from dataclasses import dataclass

from chalicelib.domain.shared.errors import ConfigurationError
from chalicelib.domain.shared.mail import Mailer
from chalicelib.mail_settings import Security
from chalicelib.wiring import component, settings


@dataclass(frozen=True)
class SmtpServer:
    host: str
    port: int
    username: str
    password: str
    security: Security
    timeout: int
    sender: str  # the secret's default sender, "" when none


@component
def smtp_server() -> SmtpServer:
    """The environment's values, completed from the `smtp` secret (CS_SMTP_SECRET_ARN) when one is set.

    Raises ConfigurationError for a secret that is not a JSON object; ServiceUnavailable when Secrets Manager
    does not answer (not cached: the next use tries again)."""
    current = settings()
    mail = current.mail
    stored: dict[str, object] = {}
    if mail.smtp_secret_arn:
        from chalicelib.adapters.aws.secrets import fetch_secret

        try:
            parsed = json.loads(fetch_secret(mail.smtp_secret_arn, current.region))
        except ValueError as exc:
            raise ConfigurationError("The SMTP secret must be a JSON object (README: Secrets)") from exc
        if not isinstance(parsed, dict):
            raise ConfigurationError("The SMTP secret must be a JSON object (README: Secrets)")
        stored = parsed
    try:
        port = int(str(stored.get("port") or 0)) if not mail.smtp_host else mail.smtp_port
    except ValueError as exc:
        raise ConfigurationError("The SMTP secret's port must be a number") from exc
    return SmtpServer(
        host=mail.smtp_host or str(stored.get("host") or ""),
        port=port or mail.smtp_port,
        username=mail.smtp_username or str(stored.get("username") or ""),
        password=mail.smtp_password or str(stored.get("password") or ""),
        security=mail.smtp_security,
        timeout=mail.smtp_timeout_seconds,
        sender=str(stored.get("sender") or ""),
    )


def smtp_mailer(sender: str) -> Mailer:
    """A mailer sending as `sender` through the deployment's SMTP server."""
    from chalicelib.adapters.smtp.mailer import SmtpMailer

    server = smtp_server()
    return SmtpMailer(
        server.host,
        server.port,
        sender,
        timeout=server.timeout,
        username=server.username,
        password=server.password,
        security=server.security,
    )
