"""Container hosts (Docker Engine endpoints) and the capacity arithmetic of placing work on them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

HostStatus = Literal["active", "draining"]
ACTIVE: HostStatus = "active"
DRAINING: HostStatus = "draining"
# A TCP port is 1..65535, written without leading zeros.
HOST_URL_PATTERN = (
    r"^(unix://(/[^\s]+)|tcp://[A-Za-z0-9.\-\[\]:]+:"
    r"([1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5]))$"
)


@dataclass(frozen=True)
class Allocation:
    """CPU (millicores) and memory (bytes) claimed on a host."""

    cpu_millis: int
    memory_bytes: int

    def __add__(self, other: Allocation) -> Allocation:
        return Allocation(self.cpu_millis + other.cpu_millis, self.memory_bytes + other.memory_bytes)

    def __sub__(self, other: Allocation) -> Allocation:
        return Allocation(self.cpu_millis - other.cpu_millis, self.memory_bytes - other.memory_bytes)

    def __neg__(self) -> Allocation:
        return Allocation(-self.cpu_millis, -self.memory_bytes)

    def times(self, factor: int) -> Allocation:
        return Allocation(self.cpu_millis * factor, self.memory_bytes * factor)

    def grows(self) -> bool:
        """True when either dimension increases (a claim that needs room)."""
        return self.cpu_millis > 0 or self.memory_bytes > 0

    def at_least_zero(self) -> Allocation:
        return Allocation(max(self.cpu_millis, 0), max(self.memory_bytes, 0))

    def fits_within(self, other: Allocation) -> bool:
        return self.cpu_millis <= other.cpu_millis and self.memory_bytes <= other.memory_bytes


@dataclass(frozen=True)
class Host:
    id: str
    name: str
    url: str
    status: HostStatus
    capacity: Allocation
    allocated: Allocation
    has_tls: bool
    is_default: bool
    created_at: datetime

    @property
    def free(self) -> Allocation:
        return self.capacity - self.allocated

    def accepts(self, claim: Allocation) -> bool:
        """Only an active host with room for `claim` takes new work."""
        return self.status == ACTIVE and claim.fits_within(self.free)

    def claim_limit(self, claim: Allocation) -> Allocation:
        """The most that may already be allocated for `claim` to still fit (the store's condition)."""
        return self.capacity - claim.at_least_zero()

    def room(self) -> float:
        """Share of CPU plus share of memory still free (placement prefers the emptiest host)."""
        return self.free.memory_bytes / max(self.capacity.memory_bytes, 1) + self.free.cpu_millis / max(
            self.capacity.cpu_millis, 1
        )


@dataclass(frozen=True)
class TlsMaterial:
    """Client TLS for a TCP engine endpoint (PEM strings)."""

    ca_cert: str
    client_cert: str
    client_key: str


@dataclass(frozen=True)
class HostRequest:
    name: str
    url: str
    tls: TlsMaterial | None = None
