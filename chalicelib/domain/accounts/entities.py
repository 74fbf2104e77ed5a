"""Accounts: users, organizations, memberships, wallets at sign-up, and the password rules."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

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


@dataclass(frozen=True)
class User:
    id: str
    email: str
    name: str
    role: PlatformRole
    default_org_id: str
    created_at: datetime
    updated_at: datetime


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


def slugify(text: str, suffix: str) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "org"
    return f"{base}-{suffix}"
