"""Accounts: users, organizations, memberships, wallets at sign-up, the password and sign-in rules."""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from chalicelib.domain.shared.errors import ValidationFailed
from chalicelib.domain.shared.principal import OrgRole, PlatformRole

MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 128
MAX_NAME_LENGTH = 100
MAX_EMAIL_LENGTH = 254
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
SIGN_UP_ROLE: PlatformRole = "user"
OWNER: OrgRole = "owner"
SIGN_UP_BALANCE_CENTS = 0
SIGN_UP_CURRENCY = "USD"
UserStatus = Literal["active", "suspended"]
ACTIVE: UserStatus = "active"
SUSPENDED: UserStatus = "suspended"


@dataclass(frozen=True)
class User:
    id: str
    email: str
    name: str
    role: PlatformRole
    default_org_id: str
    created_at: datetime
    updated_at: datetime
    # Epoch second of the last password, role or status change: tokens issued at or before it are void.
    tokens_valid_after: int = 0
    status: UserStatus = ACTIVE  # a suspended user cannot sign in, and their tokens are refused


@dataclass(frozen=True)
class Organization:
    id: str
    name: str
    slug: str
    owner_id: str
    settings: dict[str, object]
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class Membership:
    organization_id: str
    organization_name: str
    user_id: str
    role: OrgRole
    project_ids: tuple[str, ...] | None = None  # the projects the member is limited to (None: all)


@dataclass(frozen=True)
class Wallet:
    id: str
    organization_id: str
    balance_cents: int
    currency: str


@dataclass(frozen=True)
class NewAccount:
    """Everything sign-up creates, written in one transaction by the store."""

    user: User
    password_hash: str
    organization: Organization
    membership: Membership
    wallet: Wallet


@dataclass(frozen=True)
class TokenClaims:
    user_id: str
    role: PlatformRole
    organization_id: str
    token_id: str
    issued_at: int
    expires: int


@dataclass(frozen=True)
class LoginResult:
    token: str
    expires_at: int
    user: User


@dataclass(frozen=True)
class ProfileUpdate:
    """The updated user; after a password change also a fresh token (every older one stops working)."""

    user: User
    token: str | None = None
    expires_at: int | None = None


@dataclass(frozen=True)
class AuthSnapshot:
    """What one per-request read tells about a token: revoked?, the user's state, the membership asked for."""

    revoked: bool
    user_exists: bool
    tokens_valid_after: int
    membership: Membership | None
    suspended: bool = False


@dataclass(frozen=True)
class AttemptCount:
    """A sign-in attempt counter, as the store's atomic increment left it (or found it when refusing).

    `counted`: this attempt was counted (False: the counter's limit refused it and nothing was written).
    `count`: attempts counted so far, this one included when counted.
    `until`: epoch second the counter is waiting for: for an account the earliest next attempt, for a
    client address the end of its window.
    """

    counted: bool
    count: int
    until: int


@dataclass(frozen=True)
class SignInLimits:
    """How password guessing is slowed down (README, "Sign-in protection").

    Per account (every client address together): `free_failures` wrong passwords in a row are answered
    at once; after that each attempt must wait `backoff(failures)` after the previous one, doubling from
    `backoff_base_seconds` up to `backoff_max_seconds`. The account forgets its failures after a correct
    password or `memory_seconds` without attempts. Per client address (IPv6: per /64): at most
    `address_max_failures` wrong passwords in a window of `address_window_seconds`, across all accounts.
    """

    free_failures: int = 5
    backoff_base_seconds: int = 1
    backoff_max_seconds: int = 60
    memory_seconds: int = 900
    address_max_failures: int = 20
    address_window_seconds: int = 900

    def backoff(self, failures: int) -> int:
        """Seconds the account waits after its `failures`-th failure in a row (0 while still free)."""
        if failures < self.free_failures:
            return 0
        doublings = min(failures - self.free_failures, 32)
        wait: int = self.backoff_base_seconds << doublings
        return min(self.backoff_max_seconds, wait)


def check_password_rules(password: str, field: str = "password") -> None:
    """Raises ValidationFailed naming `field` when the password is too short or too long."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationFailed(
            f"The password must be at least {MIN_PASSWORD_LENGTH} characters long.", details={"field": field}
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise ValidationFailed(
            f"The password must be at most {MAX_PASSWORD_LENGTH} characters long.", details={"field": field}
        )


def normalize_email(email: str) -> str:
    return email.strip().lower()


def address_bucket(client_address: str) -> str:
    """The key the per-address limit counts under: the IPv4 address, or the IPv6 /64 (one subscriber's
    prefix: counting single IPv6 addresses would give an attacker 2**64 fresh ones)."""
    text = client_address.strip()
    try:
        parsed = ipaddress.ip_address(text)
    except ValueError:
        return text.lower() or "unknown"
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


def slugify(text: str, suffix: str) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "org"
    return f"{base}-{suffix}"
