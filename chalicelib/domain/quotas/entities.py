"""Quotas and packages: what an organization may hold (its package's limits) against what it holds (usage).

Usage is counted from the records themselves, the way hosts count what is claimed on them: a container
counts once, with the CPU and memory it holds on its host (`Container.held()`: nothing after a failed
provisioning gave its claim back, the larger replica count while a change rolls out) and its requested
storage times those replicas. VPS instances and backups are counted by their capabilities.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime

from chalicelib.domain.billing.entities import Pricing
from chalicelib.domain.containers.entities import Container
from chalicelib.domain.shared import quantities
from chalicelib.domain.shared.errors import QuotaExceeded

DEFAULT_PACKAGE_ID = "default"
# The limits a package sets, by the name the API, the errors and the web app use.
LIMIT_NAMES = ("containers", "cpu", "memory", "storage", "vps", "backups")
LABELS = {
    "containers": "containers",
    "cpu": "vCPU",
    "memory": "memory",
    "storage": "storage",
    "vps": "VPS instances",
    "backups": "backups",
}
SINGULAR = {"containers": "container", "vps": "VPS instance", "backups": "backup"}
UNITS = {
    "containers": "count",
    "cpu": "millicores",
    "memory": "bytes",
    "storage": "bytes",
    "vps": "count",
    "backups": "count",
}
MAX_COUNT = 100_000


@dataclass(frozen=True)
class Usage:
    """Counters of what an organization holds; also a change of them (a delta, possibly negative)."""

    containers: int = 0
    cpu_millis: int = 0
    memory_bytes: int = 0
    storage_bytes: int = 0
    vps: int = 0
    backups: int = 0

    def by_name(self) -> dict[str, int]:
        return dict(zip(LIMIT_NAMES, (getattr(self, f.name) for f in fields(self)), strict=True))

    def __add__(self, other: Usage) -> Usage:
        return Usage(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))

    def __sub__(self, other: Usage) -> Usage:
        return self + (-other)

    def __neg__(self) -> Usage:
        return Usage(*(-getattr(self, f.name) for f in fields(self)))

    def grows(self) -> bool:
        """True when any counter increases (a claim the limits must allow)."""
        return any(v > 0 for v in self.by_name().values())

    def is_zero(self) -> bool:
        return not any(self.by_name().values())


@dataclass(frozen=True)
class Limits:
    """A package's limits; None is unlimited."""

    containers: int | None = None
    cpu_millis: int | None = None
    memory_bytes: int | None = None
    storage_bytes: int | None = None
    vps: int | None = None
    backups: int | None = None

    def by_name(self) -> dict[str, int | None]:
        return dict(zip(LIMIT_NAMES, (getattr(self, f.name) for f in fields(self)), strict=True))


@dataclass(frozen=True)
class Package:
    """What an operator sells: limits, and optionally its own container prices (else the platform's)."""

    id: str
    name: str
    description: str
    limits: Limits
    pricing: Pricing | None
    version: int
    created_at: datetime
    updated_at: datetime

    @property
    def is_default(self) -> bool:
        return self.id == DEFAULT_PACKAGE_ID


@dataclass(frozen=True)
class OrgQuota:
    """An organization's package and its usage counters."""

    organization_id: str
    package_id: str
    usage: Usage


def held_replicas(c: Container) -> int:
    """The replicas whose resources the record holds (see Container.held)."""
    if not c.holds_capacity:
        return 0
    return max(c.replicas, c.previous.replicas) if c.previous else c.replicas


def usage_of(c: Container) -> Usage:
    """What one container record counts against its organization's limits."""
    held = c.held()
    return Usage(
        containers=1,
        cpu_millis=held.cpu_millis,
        memory_bytes=held.memory_bytes,
        storage_bytes=(c.resources.storage_bytes or 0) * held_replicas(c),
    )


def first_exceeded(limits: Limits, usage: Usage, delta: Usage) -> str | None:
    """The first limit that `usage + delta` goes over, counting only what grows (None: within limits)."""
    allowed, used = limits.by_name(), usage.by_name()
    for name, more in delta.by_name().items():
        limit = allowed[name]
        if more > 0 and limit is not None and used[name] + more > limit:
            return name
    return None


def show(name: str, amount: int) -> str:
    """An amount of one limit as people read it: 3 containers, 0.5 vCPU, 512Mi."""
    if name == "cpu":
        return f"{quantities.format_cpu(amount)} vCPU"
    if UNITS[name] == "bytes":
        return quantities.format_bytes(amount) if amount else "0 bytes"
    return f"{amount} {SINGULAR[name] if amount == 1 else LABELS[name]}"


def quota_exceeded(name: str, limits: Limits, usage: Usage, delta: Usage) -> QuotaExceeded:
    """The 409 naming the limit (details.field), what it allows, what is used and what was asked for."""
    limit, used, more = limits.by_name()[name] or 0, usage.by_name()[name], delta.by_name()[name]
    return QuotaExceeded(
        f"Your package allows {show(name, limit)} in all; the organization uses {show(name, used)} and this "
        f"needs {show(name, more)} more. Delete or shrink something, or ask for a larger package.",
        details={"field": name, "limit": limit, "used": used, "requested": more},
    )
