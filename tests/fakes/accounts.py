"""In-memory fakes of the account ports, type-checked against the same Protocols and run through the
same contract suites as the repositories (tests/contract/accounts)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from chalicelib.domain.accounts.entities import (
    AttemptCount,
    AuthSnapshot,
    Membership,
    NewAccount,
    Organization,
    User,
    normalize_email,
)
from chalicelib.domain.shared.errors import Conflict, NotFound
from chalicelib.domain.shared.principal import PlatformRole


class FakeAccounts:
    def __init__(self) -> None:
        self.users: dict[str, tuple[User, str]] = {}
        self.emails: dict[str, str] = {}
        self.orgs: dict[str, Organization] = {}
        self.members: dict[str, list[Membership]] = {}
        self.wallets: dict[str, int] = {}

    def create_account(self, account: NewAccount) -> None:
        user = account.user
        address = normalize_email(user.email)  # the store keys the guard by the normalized address
        if address in self.emails:
            raise Conflict("An account with this email already exists.", details={"field": "email"})
        self.emails[address] = user.id
        self.users[user.id] = (user, account.password_hash)
        self.orgs[account.organization.id] = account.organization
        self.members.setdefault(user.id, []).append(account.membership)
        self.wallets[account.organization.id] = account.wallet.balance_cents

    def user_id_for_email(self, email: str) -> str | None:
        return self.emails.get(normalize_email(email))

    def get_user(self, user_id: str) -> tuple[User, str] | None:
        return self.users.get(user_id)

    def update_user(
        self,
        user_id: str,
        now: datetime,
        *,
        name: str | None = None,
        password_hash: str | None = None,
        tokens_valid_after: int | None = None,
    ) -> User:
        if user_id not in self.users:
            raise NotFound("The user no longer exists.")
        user, old_hash = self.users[user_id]
        user = replace(
            user,
            name=user.name if name is None else name,
            updated_at=now,
            tokens_valid_after=user.tokens_valid_after if tokens_valid_after is None else tokens_valid_after,
        )
        self.users[user_id] = (user, old_hash if password_hash is None else password_hash)
        return user

    def set_role(self, user_id: str, role: PlatformRole, now: datetime) -> None:
        if user_id not in self.users:
            raise NotFound("The user no longer exists.")
        user, password_hash = self.users[user_id]
        self.users[user_id] = (replace(user, role=role, updated_at=now), password_hash)

    def list_memberships(self, user_id: str) -> list[Membership]:
        return list(self.members.get(user_id, []))

    def get_organization(self, org_id: str) -> Organization | None:
        return self.orgs.get(org_id)


class FakeSessions:
    """The counters behave like the store's conditional updates: each change is atomic (one lock)."""

    def __init__(self, accounts: FakeAccounts) -> None:
        self.accounts = accounts
        self.revoked: set[str] = set()
        # email -> (attempts, next allowed, expires); address -> (attempts, window end)
        self.by_account: dict[str, tuple[int, int, int]] = {}
        self.by_address: dict[str, tuple[int, int]] = {}
        self._lock = threading.Lock()

    def auth_snapshot(self, token_id: str, org_id: str | None, user_id: str) -> AuthSnapshot:
        found = self.accounts.get_user(user_id)
        member = (
            next((m for m in self.accounts.list_memberships(user_id) if m.organization_id == org_id), None)
            if org_id
            else None
        )
        return AuthSnapshot(
            revoked=token_id in self.revoked,
            user_exists=found is not None,
            tokens_valid_after=found[0].tokens_valid_after if found else 0,
            membership=member,
            suspended=found is not None and found[0].status == "suspended",
        )

    def revoke(self, token_id: str, expires: datetime) -> None:
        self.revoked.add(token_id)

    def claim_account_attempt(
        self, email: str, now: int, *, free: int, hold_until: int, expires: int
    ) -> AttemptCount:
        with self._lock:
            count, next_allowed, until = self.by_account.get(email, (0, 0, 0))
            if until <= now:
                count = 0
            elif count >= free and next_allowed > now:
                return AttemptCount(False, count, next_allowed)
            self.by_account[email] = (count + 1, hold_until, expires)
            return AttemptCount(True, count + 1, hold_until)

    def settle_account_failure(self, email: str, count: int, *, until: int, expires: int) -> None:
        with self._lock:
            if email in self.by_account and self.by_account[email][0] == count:
                self.by_account[email] = (count, until, expires)

    def clear_account_attempts(self, email: str) -> None:
        with self._lock:
            self.by_account.pop(email, None)

    def claim_address_attempt(self, address: str, now: int, *, limit: int, window: int) -> AttemptCount:
        with self._lock:
            count, end = self.by_address.get(address, (0, 0))
            if end <= now:
                count, end = 0, now + window
            elif count >= limit:
                return AttemptCount(False, count, end)
            self.by_address[address] = (count + 1, end)
            return AttemptCount(True, count + 1, end)

    def release_address_attempt(self, address: str, until: int) -> None:
        with self._lock:
            count, end = self.by_address.get(address, (0, 0))
            if end == until and count > 0:
                self.by_address[address] = (count - 1, end)


class FakeHasher:
    """Reversible stand-in for argon2 that counts every password check; `before_check` runs first
    (tests use it to hold checks while a burst of requests arrives)."""

    def __init__(self) -> None:
        self.checks = 0
        self.before_check: Callable[[], None] | None = None
        self._lock = threading.Lock()

    def hash(self, password: str) -> str:
        return f"fake${password}"

    def verify(self, password_hash: str | None, password: str) -> bool:
        with self._lock:
            self.checks += 1
        if self.before_check is not None:
            self.before_check()
        return password_hash is not None and password_hash == self.hash(password)
