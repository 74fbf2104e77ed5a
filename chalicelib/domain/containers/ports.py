"""Storage port of container records and their host allocations."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

from chalicelib.domain.containers.entities import Container
from chalicelib.domain.hosts.entities import Allocation
from chalicelib.domain.shared.paging import Page


class Standing(Protocol):
    """Whether the organization may run more than it runs now (billing: not suspended for non-payment)."""

    def require_good_standing(self, org_id: str) -> None:
        """Raises PaymentRequired when the organization is suspended."""
        ...


class Containers(Protocol):
    """Container records (one organization's partition) and the host capacity they hold."""

    def create_on_host(self, container: Container, limit: Allocation) -> None:
        """Claim `container.held()` on its host while the host is active and its allocation is at most
        `limit`, reserve the name, and write the record: one transaction.

        Raises CapacityExhausted (try another host) or Conflict (field `name`: the name is taken).
        """
        ...

    def get(self, org_id: str, container_id: str, *, consistent: bool = False) -> Container:
        """Raises NotFound (also for another organization's container)."""
        ...

    def page(self, org_id: str, limit: int, cursor: str | None) -> Page[Container]:
        """Newest first. Raises ValidationFailed (field `cursor`) for a cursor not made here."""
        ...

    def update(self, old: Container, new: Container, *, limit: Allocation | None = None) -> None:
        """Write `new` over `old` if the record is still at `old.version`, in one transaction with what goes
        with it: the name reservation moves when the name changed, and the host allocation moves by
        `new.held() - old.held()` (a growing claim only while the host is active and its allocation is at
        most `limit`). So capacity is claimed and given back exactly once per version.

        Raises Conflict (the record changed meanwhile; field `name`: the new name is taken) or
        CapacityExhausted (the host is full, draining or gone).
        """
        ...

    def delete_and_release(self, container: Container) -> None:
        """Delete the record and its name reservation and give what it holds (`held()`) back to its host,
        only if the record is still at `container.version`. Raises Conflict otherwise (nothing is released).
        """
        ...

    def on_host(self, host_id: str) -> Iterator[Container]:
        """Every container placed on a host (not a request path). Eventually consistent: a record written
        moments ago may be missing, and one read may be an older version."""
        ...
