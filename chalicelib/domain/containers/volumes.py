"""Volumes shared between an organization's containers: what purging one would break."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from chalicelib.domain.containers.entities import Container
from chalicelib.domain.containers.ports import Containers
from chalicelib.domain.shared.errors import Conflict


def all_of(containers: Containers, org_id: str) -> Iterator[Container]:
    """Every container of an organization, a page (one Query) at a time."""
    cursor: str | None = None
    while True:
        page = containers.page(org_id, 100, cursor)
        yield from page.items
        if page.next_cursor is None:
            return
        cursor = page.next_cursor


def refuse_shared_volumes(container: Container, others: Iterable[Container]) -> None:
    """Raises Conflict when another container on the same host mounts one of `container`'s volumes
    (engine volumes are per organization and host), before anything is removed."""
    mine = {v.name for v in container.volumes}
    if not mine:
        return
    for other in others:
        shared = sorted(mine & {v.name for v in other.volumes})
        if other.id != container.id and other.host_id == container.host_id and shared:
            raise Conflict(
                f"Volume {shared[0]!r} is also mounted by container {other.name!r}; delete without "
                "purge_volumes, or delete that container first. Nothing was removed.",
                details={"field": "purge_volumes", "volumes": shared, "container": other.id},
            )
