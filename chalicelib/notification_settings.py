"""Notification and outbound-webhook settings: part of the one settings object (Settings.notifications).

Read on first use like every setting. CS_WEBHOOKS_ALLOW_LOOPBACK=1 lets webhook endpoints point at 127.0.0.1 /
::1 (a receiver started by a test, or on a developer's machine); it is honoured only in the local and test
stages and ignored everywhere else, so no deployment can be talked into calling its own loopback interface.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from chalicelib.domain.shared.errors import ConfigurationError

DEFAULT_RETRY_SECONDS = (60, 300, 1800, 7200, 43200)  # 1 min, 5 min, 30 min, 2 h, 12 h


@dataclass(frozen=True)
class NotificationSettings:
    """How long in-app notifications and delivery logs are kept, how webhooks are retried and timed out."""

    allow_loopback: bool = False
    retry_seconds: tuple[int, ...] = DEFAULT_RETRY_SECONDS
    timeout_seconds: float = 5.0
    notification_days: int = 90
    delivery_log_days: int = 30
    # Deliver new events right after they were raised (a thread locally, an asynchronous invocation of this
    # function in AWS); the schedule delivers whatever is still due either way.
    deliver_immediately: bool = True
    deliver_function: str = ""


def _number(env: Mapping[str, str], name: str, default: float, minimum: float) -> float:
    raw = env.get(name) or str(default)
    try:
        value = float(raw)
    except ValueError as exc:
        raise ConfigurationError(f"{name} must be a number, not {raw!r}") from exc
    if value < minimum:
        raise ConfigurationError(f"{name} must be at least {minimum}, not {raw!r}")
    return value


def _retries(env: Mapping[str, str]) -> tuple[int, ...]:
    raw = env.get("CS_WEBHOOK_RETRY_SECONDS")
    if not raw:
        return DEFAULT_RETRY_SECONDS
    try:
        values = tuple(int(part) for part in raw.split(",") if part.strip())
    except ValueError as exc:
        raise ConfigurationError(
            f"CS_WEBHOOK_RETRY_SECONDS must be seconds such as 60,300,1800, not {raw!r}"
        ) from exc
    if any(v < 0 for v in values) or len(values) > 20:
        raise ConfigurationError("CS_WEBHOOK_RETRY_SECONDS takes at most 20 waits of 0 seconds or more")
    return values


def build_notification_settings(env: Mapping[str, str], local: bool) -> NotificationSettings:
    """From CS_WEBHOOKS_ALLOW_LOOPBACK (local stages only), CS_WEBHOOK_RETRY_SECONDS,
    CS_WEBHOOK_TIMEOUT_SECONDS, CS_NOTIFICATION_DAYS, CS_WEBHOOK_LOG_DAYS, CS_WEBHOOK_DELIVER_IMMEDIATELY,
    CS_WEBHOOK_DELIVER_FUNCTION."""
    return NotificationSettings(
        allow_loopback=local and env.get("CS_WEBHOOKS_ALLOW_LOOPBACK", "") in ("1", "true", "yes"),
        retry_seconds=_retries(env),
        timeout_seconds=_number(env, "CS_WEBHOOK_TIMEOUT_SECONDS", 5.0, 0.5),
        notification_days=int(_number(env, "CS_NOTIFICATION_DAYS", 90, 1)),
        delivery_log_days=int(_number(env, "CS_WEBHOOK_LOG_DAYS", 30, 1)),
        deliver_immediately=env.get("CS_WEBHOOK_DELIVER_IMMEDIATELY", "1") not in ("0", "false", "no"),
        deliver_function=env.get("CS_WEBHOOK_DELIVER_FUNCTION") or "",
    )
