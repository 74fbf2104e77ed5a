"""Storage ports of packages (platform items) and of each organization's quota counters."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from chalicelib.domain.quotas.entities import OrgQuota, Package


class Packages(Protocol):
    """The operator's packages (one small platform partition)."""

    def list_all(self) -> list[Package]:
        """Every stored package, ordered by name."""
        ...

    def find(self, package_id: str) -> Package | None:
        """The stored package, or None."""
        ...

    def add(self, package: Package) -> None:
        """Raises Conflict when a package with this id exists."""
        ...

    def replace(self, package: Package, expected_version: int | None) -> None:
        """Write `package` if the stored one is still at `expected_version` (None: none is stored yet).

        Raises Conflict otherwise."""
        ...

    def remove(self, package_id: str) -> None:
        """Raises NotFound when there is no such package."""
        ...


class Quotas(Protocol):
    """Each organization's package and usage counters (ORG#<org> / QUOTA)."""

    def get(self, org_id: str) -> OrgQuota | None:
        """The counters, or None when the organization has none yet (it was created before quotas)."""
        ...

    def ensure(self, org_id: str, package_id: str, now: datetime) -> OrgQuota:
        """The counters, created from the organization's records when missing (a count of what it holds)."""
        ...

    def assign(self, org_id: str, package_id: str, now: datetime) -> None:
        """Put the organization on `package_id`. Raises NotFound when the organization does not exist."""
        ...
