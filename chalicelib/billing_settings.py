"""Billing, payment and mail settings: part of the one settings object (Settings.billing), read on first use.

Locally every value has a working default (the local stack's PayPal sandbox stub and SMTP server set their
addresses). PayPal credentials outside the local stages are checked when the gateway is first built
(chalicelib.wiring.billing), so a deployment without billing configured still serves everything else.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from chalicelib.domain.shared.errors import ConfigurationError
from chalicelib.domain.shared.money import to_cents

PAYPAL_LIVE = "https://api-m.paypal.com"


@dataclass(frozen=True)
class BillingSettings:
    """Limits, grace periods, PayPal, mail and the seller printed on invoices. Money in cents."""

    currency: str = "USD"
    topup_min_cents: int = 500
    topup_max_cents: int = 100_000
    max_balance_cents: int = 1_000_000
    grace_seconds: int = 24 * 3600
    terminate_after_seconds: int = 14 * 86400
    termination_notice_seconds: int = 3 * 86400
    warn_hours: tuple[int, ...] = (72, 24, 2)
    paypal_base_url: str = ""
    paypal_client_id: str = ""
    paypal_client_secret: str = ""
    paypal_secret_arn: str = ""
    paypal_webhook_id: str = ""
    paypal_timeout_seconds: int = 10
    public_url: str = "http://127.0.0.1:8000"
    smtp_host: str = ""
    smtp_port: int = 25
    mail_from: str = "billing@containerstacks.local"
    report_email: str = ""
    seller_name: str = "ContainerStacks"
    seller_address: str = ""
    seller_tax_id: str = ""
    tax_name: str = ""
    tax_rate_bps: int = 0
    invoice_prefix: str = "CS"
    invoice_due_days: int = 14

    def paypal_missing(self, local: bool) -> list[str]:
        """The PayPal settings a deployment still needs (names of environment variables)."""
        missing = [] if self.paypal_base_url or local else ["CS_PAYPAL_BASE_URL"]
        if not local:
            if not self.paypal_client_id:
                missing.append("CS_PAYPAL_CLIENT_ID")
            if not (self.paypal_client_secret or self.paypal_secret_arn):
                missing.append("CS_PAYPAL_SECRET_ARN")
            if not self.paypal_webhook_id:
                missing.append("CS_PAYPAL_WEBHOOK_ID")
        return missing


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name) or str(default)
    try:
        return int(raw)
    except ValueError as exc:
        raise ConfigurationError(f"{name} must be a whole number, not {raw!r}") from exc


def _cents(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if not raw:
        return default
    try:
        return to_cents(raw)
    except ValueError as exc:
        raise ConfigurationError(f"{name} must be an amount such as 10.00, not {raw!r}") from exc


def build_billing_settings(env: Mapping[str, str], local: bool) -> BillingSettings:
    """Billing settings from `env`: CS_BILLING_*, CS_TOPUP_*, CS_PAYPAL_*, CS_SMTP_*, CS_SELLER_*, ..."""
    warn = env.get("CS_BILLING_WARN_HOURS") or "72,24,2"
    try:
        warn_hours = tuple(sorted((int(h) for h in warn.split(",") if h.strip()), reverse=True))
    except ValueError as exc:
        raise ConfigurationError(
            f"CS_BILLING_WARN_HOURS must be hours such as 72,24,2, not {warn!r}"
        ) from exc
    return BillingSettings(
        currency=env.get("CS_BILLING_CURRENCY") or "USD",
        topup_min_cents=_cents(env, "CS_TOPUP_MIN", 500),
        topup_max_cents=_cents(env, "CS_TOPUP_MAX", 100_000),
        max_balance_cents=_cents(env, "CS_MAX_BALANCE", 1_000_000),
        grace_seconds=_int(env, "CS_BILLING_GRACE_SECONDS", 24 * 3600),
        terminate_after_seconds=_int(env, "CS_BILLING_TERMINATE_AFTER_SECONDS", 14 * 86400),
        termination_notice_seconds=_int(env, "CS_BILLING_TERMINATION_NOTICE_SECONDS", 3 * 86400),
        warn_hours=warn_hours,
        paypal_base_url=env.get("CS_PAYPAL_BASE_URL") or ("" if local else PAYPAL_LIVE),
        paypal_client_id=env.get("CS_PAYPAL_CLIENT_ID") or ("sandbox-client" if local else ""),
        paypal_client_secret=env.get("CS_PAYPAL_CLIENT_SECRET") or ("sandbox-secret" if local else ""),
        paypal_secret_arn=env.get("CS_PAYPAL_SECRET_ARN") or "",
        paypal_webhook_id=env.get("CS_PAYPAL_WEBHOOK_ID") or ("WHLOCALSANDBOX" if local else ""),
        paypal_timeout_seconds=_int(env, "CS_PAYPAL_TIMEOUT_SECONDS", 10),
        public_url=(env.get("CS_PUBLIC_URL") or "http://127.0.0.1:8000").rstrip("/"),
        smtp_host=env.get("CS_SMTP_HOST") or "",
        smtp_port=_int(env, "CS_SMTP_PORT", 25),
        mail_from=env.get("CS_MAIL_FROM") or "billing@containerstacks.local",
        report_email=env.get("CS_BILLING_REPORT_EMAIL") or "",
        seller_name=env.get("CS_SELLER_NAME") or "ContainerStacks",
        seller_address=env.get("CS_SELLER_ADDRESS") or "",
        seller_tax_id=env.get("CS_SELLER_TAX_ID") or "",
        tax_name=env.get("CS_TAX_NAME") or "",
        tax_rate_bps=_int(env, "CS_TAX_RATE_BPS", 0),
        invoice_prefix=env.get("CS_INVOICE_PREFIX") or "CS",
        invoice_due_days=_int(env, "CS_INVOICE_DUE_DAYS", 14),
    )
