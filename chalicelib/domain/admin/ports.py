"""What the admin area needs: the user and organization directories, the counters, the VPS figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from chalicelib.domain.accounts.entities import Organization, User, UserStatus
from chalicelib.domain.admin.entities import Member, UserSearch
from chalicelib.domain.shared.paging import Page
from chalicelib.domain.shared.principal import PlatformRole


class UserDirectory(Protocol):
    def search(self, search: UserSearch, limit: int, cursor: str | None) -> Page[User]:
        """By email or name prefix, in that order. Raises ValidationFailed (field `cursor`)."""
        ...

    def get(self, user_id: str) -> User:
        """Consistent read. Raises NotFound."""
        ...

    def set_status(self, user: User, status: UserStatus, now: datetime) -> User:
        """Only while the status is still `user.status` (else Conflict); suspending voids every token."""
        ...

    def set_role(self, user: User, role: PlatformRole, now: datetime) -> User:
        """Only while the role is still `user.role` (else Conflict); voids every token (they hold roles)."""
        ...


class OrganizationDirectory(Protocol):
    def page(self, limit: int, cursor: str | None) -> Page[Organization]:
        """Newest first. Raises ValidationFailed (field `cursor`)."""
        ...

    def get(self, org_id: str) -> Organization:
        """Raises NotFound."""
        ...

    def members(self, org_id: str) -> list[Member]: ...


@dataclass(frozen=True)
class Totals:
    users: int
    organizations: int
    running_containers: int


class Counters(Protocol):
    """The platform's counters, kept in the transactions that change what they count."""

    def totals(self) -> Totals: ...

    def month(self, month: str) -> dict[str, int]:
        """Signed cents moved in the month (YYYY-MM) by ledger entry kind, every organization."""
        ...

    def organization_month(self, org_id: str, month: str) -> dict[str, int]:
        """The same for one organization."""
        ...


class Wallets(Protocol):
    """An organization's balance and billing standing."""

    def balance(self, org_id: str) -> tuple[int, str]:
        """(cents, currency). Raises NotFound."""
        ...

    def suspended_since(self, org_id: str) -> datetime | None: ...


class VpsFigures(Protocol):
    """VPS instances and what the providers charge for them (the VPS capability supplies the real one)."""

    def instances(self) -> int: ...

    def provider_cost_cents(self, month: str) -> int: ...


class NoVps:
    """Until VPS lands: no instances, no provider cost."""

    def instances(self) -> int:
        return 0

    def provider_cost_cents(self, month: str) -> int:
        return 0
