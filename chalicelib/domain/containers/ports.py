"""Storage port of container records and their host allocations."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

from chalicelib.domain.containers.entities import Container
from chalicelib.domain.hosts.entities import Allocation
from chalicelib.domain.shared.paging import Page


class Containers(Protocol):
    """Container records (one organization's partition) and the host capacity they hold."""

    def create_on_host(self, container: Container, claim: Allocation, limit: Allocation) -> None:
        """Claim `claim` on the container's host while its allocation is at most `limit` and it is active,
        reserve the name, and write the record: one transaction.

        Raises CapacityExhausted (try another host) or Conflict (field `name`: the name is taken).
        """
        ...

    def get(self, org_id: str, container_id: str, *, consistent: bool = False) -> Container:
        """Raises NotFound (also for another organization's container)."""
        ...

    def page(self, org_id: str, limit: int, cursor: str | None) -> Page[Container]:
        """Newest first. Raises ValidationFailed (field `cursor`) for a cursor not made here."""
        ...

    def save(self, container: Container, *, expected_version: int, previous_name: str | None = None) -> None:
        """Overwrite the record if its version is still `expected_version`; when the name changed
        (`previous_name`), move the name reservation in the same transaction.

        Raises Conflict when the record changed meanwhile or the new name is taken.
        """
        ...

    def resize_on_host(self, old: Container, new: Container, delta: Allocation, limit: Allocation) -> None:
        """Move the host allocation by `delta` (bounded by `limit` when it grows) and save `new`, if `old`
        is still at its version. Raises CapacityExhausted or Conflict.
        """
        ...

    def delete_and_release(self, container: Container) -> None:
        """Delete the record and its name reservation and give its footprint back to its host, only if the
        record is still at `container.version`. Raises Conflict otherwise (nothing is released).
        """
        ...

    def on_host(self, host_id: str) -> Iterator[Container]:
        """Every container placed on a host (not a request path)."""
        ...
