"""Storage port of the host registry."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from chalicelib.domain.hosts.entities import Host, HostStatus


class CapacityExhausted(Exception):
    """The host's allocation condition failed (full, draining or gone); try another host."""


class Hosts(Protocol):
    """The registry of Docker Engine endpoints (a small platform partition)."""

    def list_all(self) -> list[Host]: ...

    def get(self, host_id: str) -> Host:
        """Raises NotFound."""
        ...

    def get_tls(self, host_id: str) -> dict[str, str] | None:
        """The stored TLS material (client key encrypted). Raises NotFound."""
        ...

    def add(self, host: Host, tls: dict[str, str] | None) -> None: ...

    def set_status(self, host_id: str, status: HostStatus, now: datetime) -> Host:
        """Raises NotFound."""
        ...

    def remove(self, host_id: str) -> None:
        """Raises Conflict while anything is allocated, NotFound when absent."""
        ...
