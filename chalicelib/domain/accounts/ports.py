"""What the account service needs: its store, a password hasher and a token issuer."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from chalicelib.domain.accounts.entities import Membership, NewAccount, Organization, TokenClaims, User
from chalicelib.domain.shared.principal import PlatformRole


class Accounts(Protocol):
    """Users, organizations, memberships and wallets."""

    def create_account(self, account: NewAccount) -> None:
        """Atomically write user, email guard, organization, wallet and membership.

        Raises Conflict (field `email`) when the email is already registered.
        """
        ...

    def user_id_for_email(self, email: str) -> str | None: ...

    def get_user(self, user_id: str) -> tuple[User, str] | None:
        """The user and their password hash, or None."""
        ...

    def update_user(
        self, user_id: str, now: datetime, *, name: str | None = None, password_hash: str | None = None
    ) -> User:
        """Raises NotFound when the user is gone."""
        ...

    def set_role(self, user_id: str, role: PlatformRole, now: datetime) -> None:
        """Raises NotFound when the user is gone."""
        ...

    def list_memberships(self, user_id: str) -> list[Membership]: ...

    def get_organization(self, org_id: str) -> Organization | None: ...


class Sessions(Protocol):
    """Token revocations and login-failure counters (short-lived records)."""

    def auth_snapshot(
        self, token_id: str, org_id: str | None, user_id: str
    ) -> tuple[bool, Membership | None]:
        """(token revoked?, membership of user in org or None) in one read."""
        ...

    def is_revoked(self, token_id: str) -> bool: ...

    def revoke(self, token_id: str, expires: datetime) -> None: ...

    def login_failures(self, email: str) -> tuple[int, int]:
        """(failures in the current window, window start as epoch seconds)."""
        ...

    def record_login_failure(self, email: str, now: int, window: int, expires: datetime) -> None: ...

    def clear_login_failures(self, email: str) -> None: ...


class PasswordHasher(Protocol):
    """One-way password hashes; verify() costs the same for unknown users (None hash)."""

    def hash(self, password: str) -> str: ...

    def verify(self, password_hash: str | None, password: str) -> bool: ...


class TokenIssuer(Protocol):
    """Signed access tokens. verify() raises AuthenticationFailed for anything not valid now."""

    def issue(
        self, user_id: str, role: PlatformRole, organization_id: str, now: int
    ) -> tuple[str, TokenClaims]:
        """The token and its claims."""
        ...

    def verify(self, token: str) -> TokenClaims: ...
