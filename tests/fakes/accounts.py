"""In-memory fakes of the account ports, type-checked against the same Protocols and run through the
same contract suites as the repositories (tests/contract/accounts)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from chalicelib.domain.accounts.entities import Membership, NewAccount, Organization, User, normalize_email
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
        self, user_id: str, now: datetime, *, name: str | None = None, password_hash: str | None = None
    ) -> User:
        if user_id not in self.users:
            raise NotFound("The user no longer exists.")
        user, old_hash = self.users[user_id]
        user = replace(user, name=user.name if name is None else name, updated_at=now)
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
    def __init__(self, accounts: FakeAccounts) -> None:
        self.accounts = accounts
        self.revoked: set[str] = set()
        self.failures: dict[str, tuple[int, int]] = {}

    def auth_snapshot(
        self, token_id: str, org_id: str | None, user_id: str
    ) -> tuple[bool, Membership | None]:
        member = next(
            (m for m in self.accounts.list_memberships(user_id) if m.organization_id == org_id), None
        )
        return token_id in self.revoked, member

    def is_revoked(self, token_id: str) -> bool:
        return token_id in self.revoked

    def revoke(self, token_id: str, expires: datetime) -> None:
        self.revoked.add(token_id)

    def login_failures(self, email: str) -> tuple[int, int]:
        return self.failures.get(normalize_email(email), (0, 0))

    def record_login_failure(self, email: str, now: int, window: int, expires: datetime) -> None:
        address = normalize_email(email)
        count, start = self.failures.get(address, (0, 0))
        self.failures[address] = (count + 1, start) if start > now - window else (1, now)

    def clear_login_failures(self, email: str) -> None:
        self.failures.pop(normalize_email(email), None)
