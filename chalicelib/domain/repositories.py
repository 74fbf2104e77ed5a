"""Storage ports: what the services need from the store layer (implemented in chalicelib/store)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Protocol

from chalicelib.domain.entities import Container, Host, Membership, Organization, Page, User


class CapacityExhausted(Exception):
    """The host's allocation condition failed (full, draining or gone); try another host."""


class Accounts(Protocol):
    """Users, organizations, memberships and wallets."""

    def create_account(self, user: User, password_hash: str, org: Organization, wallet_id: str) -> None:
        """Atomically create user, org, wallet and owner membership. Raises Conflict on a taken email."""
        ...

    def user_id_for_email(self, email: str) -> str | None: ...

    def get_user(self, user_id: str) -> tuple[User, str] | None: ...

    def update_user(
        self, user_id: str, now: datetime, *, name: str | None = None, password_hash: str | None = None
    ) -> User: ...

    def set_role(self, user_id: str, role: str, now: datetime) -> None: ...

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

    def login_failures(self, email: str) -> tuple[int, int]: ...

    def record_login_failure(self, email: str, now: int, window: int, expires: datetime) -> None: ...

    def clear_login_failures(self, email: str) -> None: ...


class Containers(Protocol):
    """Container records and their host allocations."""

    def create_on_host(self, container: Container, host: Host) -> None:
        """Claim capacity and write the record. Raises CapacityExhausted."""
        ...

    def get(self, org_id: str, container_id: str, *, consistent: bool = False) -> Container:
        """Raises NotFound."""
        ...

    def page(self, org_id: str, limit: int, cursor: str | None) -> Page[Container]: ...

    def save(self, container: Container, *, expected_generation: int | None = None) -> None:
        """Raises Conflict when the generation moved on."""
        ...

    def resize_on_host(self, old: Container, new: Container, host: Host) -> None:
        """Raises CapacityExhausted or Conflict."""
        ...

    def delete_and_release(self, container: Container) -> None: ...

    def on_host(self, host_id: str) -> Iterator[Container]: ...


class Hosts(Protocol):
    """The registry of Docker Engine endpoints."""

    def list_all(self) -> list[Host]: ...

    def get(self, host_id: str) -> Host:
        """Raises NotFound."""
        ...

    def get_tls(self, host_id: str) -> dict[str, str] | None: ...

    def add(self, host: Host, tls: dict[str, str] | None) -> None: ...

    def set_status(self, host_id: str, status: str, now: datetime) -> Host: ...

    def remove(self, host_id: str) -> None:
        """Raises Conflict while containers are allocated, NotFound when absent."""
        ...
