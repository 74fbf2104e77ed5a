"""Mail settings (part of the one settings object: Settings.mail), read on first use.

SMTP: CS_SMTP_HOST / CS_SMTP_PORT (the local stack sets its own server's), CS_SMTP_USERNAME, and the password
either from Secrets Manager (CS_SMTP_SECRET_ARN: the deployment's `smtp` secret, a JSON object with host,
port, username, password, sender; its values fill in what the environment leaves unset) or, locally only,
CS_SMTP_PASSWORD. CS_SMTP_SECURITY is starttls (default outside the local stages: SMTP2GO on 2525 or 587),
ssl (implicit TLS, port 465) or none (the local stack's server).
Support: CS_SUPPORT_EMAIL (also told of every new ticket and customer reply), CS_SUPPORT_MAIL_FROM,
CS_MAIL_RETRY_BASE_SECONDS / CS_MAIL_RETRY_MAX_SECONDS (back-off of undelivered mail).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal, cast

from chalicelib.domain.shared.errors import ConfigurationError

Security = Literal["starttls", "ssl", "none"]
SECURITY_MODES = ("starttls", "ssl", "none")
DEFAULT_SUPPORT_FROM = "support@containerstacks.local"


@dataclass(frozen=True)
class MailSettings:
    smtp_host: str = ""
    smtp_port: int = 25
    smtp_username: str = ""
    smtp_password: str = ""
    smtp_secret_arn: str = ""
    smtp_security: Security = "none"
    smtp_timeout_seconds: int = 10
    support_email: str = ""
    support_from: str = ""  # "" : the SMTP secret's sender, else DEFAULT_SUPPORT_FROM
    retry_base_seconds: int = 30
    retry_max_seconds: int = 3600


def _int(env: Mapping[str, str], name: str, default: int, minimum: int = 1) -> int:
    raw = env.get(name) or str(default)
    try:
        value = int(raw)
    except ValueError as exc:
        raise ConfigurationError(f"{name} must be a whole number, not {raw!r}") from exc
    if value < minimum:
        raise ConfigurationError(f"{name} must be at least {minimum}, not {value}")
    return value


def build_mail_settings(env: Mapping[str, str], local: bool) -> MailSettings:
    security = (env.get("CS_SMTP_SECURITY") or ("none" if local else "starttls")).lower()
    if security not in SECURITY_MODES:
        raise ConfigurationError(
            f"CS_SMTP_SECURITY must be one of {', '.join(SECURITY_MODES)}, not {security!r}"
        )
    password = env.get("CS_SMTP_PASSWORD") or ""
    if password and not local:
        raise ConfigurationError("CS_SMTP_PASSWORD is for the local stages; in AWS use CS_SMTP_SECRET_ARN")
    return MailSettings(
        smtp_host=env.get("CS_SMTP_HOST") or "",
        smtp_port=_int(env, "CS_SMTP_PORT", 25),
        smtp_username=env.get("CS_SMTP_USERNAME") or "",
        smtp_password=password,
        smtp_secret_arn=env.get("CS_SMTP_SECRET_ARN") or "",
        smtp_security=cast(Security, security),
        smtp_timeout_seconds=_int(env, "CS_SMTP_TIMEOUT_SECONDS", 10),
        support_email=(env.get("CS_SUPPORT_EMAIL") or "").strip(),
        support_from=env.get("CS_SUPPORT_MAIL_FROM") or "",
        retry_base_seconds=_int(env, "CS_MAIL_RETRY_BASE_SECONDS", 30),
        retry_max_seconds=_int(env, "CS_MAIL_RETRY_MAX_SECONDS", 3600),
    )
