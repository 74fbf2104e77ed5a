"""In-memory fakes of the quota stores: packages and each organization's counters.

FakePackages passes the same contract suite as PackageRepository (tests/contract/quotas)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from chalicelib.domain.quotas.entities import OrgQuota, Package, Usage
from chalicelib.domain.shared.errors import Conflict, NotFound

CHANGED = "The package changed meanwhile; reload it and try again."


class FakePackages:
    def __init__(self) -> None:
        self.items: dict[str, Package] = {}

    def list_all(self) -> list[Package]:
        return sorted(self.items.values(), key=lambda p: p.name.lower())

    def find(self, package_id: str) -> Package | None:
        return self.items.get(package_id)

    def add(self, package: Package) -> None:
        if package.id in self.items:
            raise Conflict(f"Package {package.id} exists already.")
        self.items[package.id] = package

    def replace(self, package: Package, expected_version: int | None) -> None:
        stored = self.items.get(package.id)
        if (stored.version if stored else None) != expected_version:
            raise Conflict(CHANGED)
        self.items[package.id] = package

    def remove(self, package_id: str) -> None:
        if self.items.pop(package_id, None) is None:
            raise NotFound(f"Package {package_id} was not found.")


class FakeQuotas:
    """Counters per organization; `holdings` says what an organization's records hold (for `ensure`)."""

    def __init__(self, holdings: Callable[[str], Usage] = lambda org_id: Usage()) -> None:
        self.items: dict[str, OrgQuota] = {}
        self.organizations: set[str] | None = None  # None: every organization exists
        self._holdings = holdings

    def get(self, org_id: str) -> OrgQuota | None:
        return self.items.get(org_id)

    def ensure(self, org_id: str, package_id: str, now: datetime) -> OrgQuota:
        return self.items.setdefault(org_id, OrgQuota(org_id, package_id, self._holdings(org_id)))

    def assign(self, org_id: str, package_id: str, now: datetime) -> None:
        if self.organizations is not None and org_id not in self.organizations:
            raise NotFound(f"Organization {org_id} was not found.")
        self.items[org_id] = replace(self.ensure(org_id, package_id, now), package_id=package_id)
