"""What the account service needs: its store, a password hasher and a token issuer."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from chalicelib.domain.accounts.entities import (
    AttemptCount,
    AuthSnapshot,
    Membership,
    NewAccount,
    Organization,
    TokenClaims,
    User,
)
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
        self,
        user_id: str,
        now: datetime,
        *,
        name: str | None = None,
        password_hash: str | None = None,
        tokens_valid_after: int | None = None,
    ) -> User:
        """Raises NotFound when the user is gone."""
        ...

    def set_role(self, user_id: str, role: PlatformRole, now: datetime) -> None:
        """Raises NotFound when the user is gone."""
        ...

    def list_memberships(self, user_id: str) -> list[Membership]: ...

    def get_organization(self, org_id: str) -> Organization | None: ...


class Sessions(Protocol):
    """Token revocations, the per-request auth read and the sign-in attempt counters (short-lived records).

    Each counter method is one atomic conditional write (a read follows only when it refuses), so
    parallel requests can never count past a limit.
    """

    def auth_snapshot(self, token_id: str, org_id: str | None, user_id: str) -> AuthSnapshot:
        """In one read: is the token revoked, the user's state, and (org_id given) their membership."""
        ...

    def revoke(self, token_id: str, expires: datetime) -> None: ...

    def claim_account_attempt(
        self, email: str, now: int, *, free: int, hold_until: int, expires: int
    ) -> AttemptCount:
        """Count one attempt on the account before its password is checked, when fewer than `free`
        are counted or the account's `until` has passed; the counted attempt holds the account until
        `hold_until` (settled by `settle_account_failure` or cleared). A counter whose `expires` has
        passed starts again at 1."""
        ...

    def settle_account_failure(self, email: str, count: int, *, until: int, expires: int) -> None:
        """The attempt numbered `count` failed: the account waits until `until` (unless a later attempt
        has been counted since, which then decides)."""
        ...

    def clear_account_attempts(self, email: str) -> None:
        """A correct password: the account's attempts are forgotten."""
        ...

    def claim_address_attempt(self, address: str, now: int, *, limit: int, window: int) -> AttemptCount:
        """Count one attempt from a client address in its fixed window (`until` = the window's end) when
        fewer than `limit` are counted; a window that has ended starts again at 1."""
        ...

    def release_address_attempt(self, address: str, until: int) -> None:
        """Uncount one attempt of the window ending at `until` (it was refused, or the password was right)."""
        ...


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
