"""VPS reselling settings: part of the one settings object (Settings.vps), read on first use."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from chalicelib.domain.shared.errors import ConfigurationError


@dataclass(frozen=True)
class VpsSettings:
    """How much a create holds, how the workflow waits, the default markup, where findings are mailed."""

    funded_hours: int = 24
    poll_seconds: int = 5
    max_wait_seconds: int = 600
    default_markup_percent_bps: int = 2000
    orphan_grace_seconds: int = 900
    report_email: str = ""


def _int(env: Mapping[str, str], name: str, default: int, minimum: int) -> int:
    raw = env.get(name) or str(default)
    try:
        value = int(raw)
    except ValueError as exc:
        raise ConfigurationError(f"{name} must be a whole number, not {raw!r}") from exc
    if value < minimum:
        raise ConfigurationError(f"{name} must be at least {minimum}, not {value}")
    return value


def build_vps_settings(env: Mapping[str, str]) -> VpsSettings:
    """CS_VPS_FUNDED_HOURS, CS_VPS_POLL_SECONDS, CS_VPS_MAX_WAIT_SECONDS, CS_VPS_DEFAULT_MARKUP_BPS,
    CS_VPS_ORPHAN_GRACE_SECONDS, CS_VPS_REPORT_EMAIL (default: CS_BILLING_REPORT_EMAIL)."""
    return VpsSettings(
        funded_hours=_int(env, "CS_VPS_FUNDED_HOURS", 24, 0),
        poll_seconds=_int(env, "CS_VPS_POLL_SECONDS", 5, 0),
        max_wait_seconds=_int(env, "CS_VPS_MAX_WAIT_SECONDS", 600, 1),
        default_markup_percent_bps=_int(env, "CS_VPS_DEFAULT_MARKUP_BPS", 2000, 0),
        orphan_grace_seconds=_int(env, "CS_VPS_ORPHAN_GRACE_SECONDS", 900, 0),
        report_email=env.get("CS_VPS_REPORT_EMAIL") or env.get("CS_BILLING_REPORT_EMAIL") or "",
    )
