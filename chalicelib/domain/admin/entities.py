"""The admin area's views: users found, an organization in detail, the platform's figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from chalicelib.domain.accounts.entities import Organization

SearchField = Literal["email", "name"]
MAX_ID_LENGTH = 64  # ids are uuid4s: anything longer names nothing (and is not sent to the store)


@dataclass(frozen=True)
class UserSearch:
    """Users whose email (default) or name starts with `prefix` (case-insensitive); empty: everyone."""

    by: SearchField = "email"
    prefix: str = ""


@dataclass(frozen=True)
class Member:
    user_id: str
    email: str
    name: str
    role: str


@dataclass(frozen=True)
class MonthMoney:
    """Money moved in a month, in cents, by what moved it (positive amounts)."""

    month: str
    usage_cents: int = 0  # usage and other charges debited: the revenue earned
    topups_cents: int = 0  # paid in through PayPal
    refunds_cents: int = 0  # paid back
    credits_cents: int = 0  # manual credits minus manual debits by administrators

    @classmethod
    def of(cls, month: str, signed: dict[str, int]) -> MonthMoney:
        """From signed sums by ledger entry kind (debits negative)."""
        return cls(
            month=month,
            usage_cents=-(signed.get("usage", 0) + signed.get("charge", 0)),
            topups_cents=signed.get("topup", 0),
            refunds_cents=-signed.get("refund", 0),
            credits_cents=signed.get("adjustment", 0),
        )


@dataclass(frozen=True)
class OrganizationDetail:
    organization: Organization
    balance_cents: int
    currency: str
    this_month: MonthMoney
    members: list[Member]
    suspended_at: datetime | None  # suspended for non-payment since
    package: str | None = None  # packages (quotas) are not built yet: always None


@dataclass(frozen=True)
class PlatformFigures:
    users: int
    organizations: int
    running_containers: int
    vps_instances: int
    this_month: MonthMoney
    provider_cost_cents: int  # what the VPS providers charge us this month
    currency: str
