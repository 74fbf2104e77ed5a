"""Audit events other capabilities record often, built in one line at the place they happen."""

from __future__ import annotations

from typing import Any

from chalicelib.domain.billing.entities import LedgerEntry
from chalicelib.domain.shared.audit import AuditEvent, AuditTrail, NoAudit
from chalicelib.domain.shared.money import format_cents
from chalicelib.domain.shared.principal import Principal

__all__ = [
    "AuditEvent",
    "AuditTrail",
    "NoAudit",
    "credentials_changed",
    "deleted",
    "member_role_changed",
    "wallet_adjusted",
]


def deleted(p: Principal, kind: str, target_id: str, **before: Any) -> AuditEvent:
    """`<kind>.deleted` by the caller, in the trail of the organization acted in (none for platform
    resources such as hosts); `before` describes what was removed."""
    return AuditEvent(
        f"{kind}.deleted", p.user_id, p.organization_id or None, kind, target_id, before=before or None
    )


def wallet_adjusted(admin: Principal, org_id: str, entry: LedgerEntry, reason: str) -> AuditEvent:
    """A manual credit or debit: the balance before and after, the amount and the reason given."""
    before = entry.balance_after_cents - entry.amount_cents
    return AuditEvent(
        "billing.adjustment",
        admin.user_id,
        org_id,
        "wallet",
        entry.id,
        before={"balance": format_cents(before)},
        after={
            "balance": format_cents(entry.balance_after_cents),
            "amount": format_cents(entry.amount_cents),
            "reason": reason,
            "currency": entry.currency,
        },
    )


def credentials_changed(p: Principal, kind: str, target_id: str, change: str) -> AuditEvent:
    """The hook for API keys and secrets (a VPS provider's key, for one): `change` is set, rotated or
    removed. Never pass the secret itself; the trail records that it changed, by whom, from where."""
    return AuditEvent(
        "credentials.changed",
        p.user_id,
        p.organization_id or None,
        kind,
        target_id,
        after={"change": change},
    )


def member_role_changed(p: Principal, org_id: str, user_id: str, before: str, after: str) -> AuditEvent:
    """The hook for teams: a member's role in an organization changed (in that organization's trail)."""
    return AuditEvent(
        "member.role_changed",
        p.user_id,
        org_id,
        "member",
        user_id,
        before={"role": before},
        after={"role": after},
    )
