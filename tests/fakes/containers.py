"""In-memory fake of the container store (capacity moves on the FakeHosts it shares).

It passes the same contract suite as ContainerRepository (tests/contract/containers).
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterator

from chalicelib.domain.containers.entities import Container
from chalicelib.domain.hosts.entities import Allocation
from chalicelib.domain.shared.errors import Conflict, NotFound, ValidationFailed
from chalicelib.domain.shared.paging import Page
from tests.fakes.hosts import FakeHosts

CHANGED = "The container changed meanwhile; reload and try again."


class FakeContainers:
    def __init__(self, hosts: FakeHosts) -> None:
        self.hosts = hosts
        self.items: dict[tuple[str, str], Container] = {}
        self.names: dict[tuple[str, str], str] = {}
        self.unindexed: set[str] = set()

    def _take_name(self, c: Container) -> None:
        key = (c.organization_id, c.name.lower())
        if key in self.names:
            raise Conflict(
                f"A container named {c.name!r} already exists in this organization; choose another name.",
                details={"field": "name"},
            )
        self.names[key] = c.id

    def create_on_host(self, container: Container, limit: Allocation) -> None:
        if container.host_id is None and container.cluster_id is None:
            raise ValueError("a container must be placed on a host or a cluster before it is stored")
        key = (container.organization_id, container.name.lower())
        if key in self.names:
            self._take_name(container)  # raises Conflict naming `name`
        if container.host_id is not None:
            self.hosts.move(container.host_id, container.held(), limit)
        self._take_name(container)
        self.items[(container.organization_id, container.id)] = container

    def get(self, org_id: str, container_id: str, *, consistent: bool = False) -> Container:
        if (org_id, container_id) not in self.items:
            raise NotFound(f"Container {container_id} was not found.")
        return self.items[(org_id, container_id)]

    def page(self, org_id: str, limit: int, cursor: str | None) -> Page[Container]:
        """Like the store's Query: newest first, continuing after the last id seen (not at an offset)."""
        after = _decode_cursor(cursor, org_id)
        mine = sorted(
            (c for (o, i), c in self.items.items() if o == org_id and (after is None or i < after)),
            key=lambda c: c.id,
            reverse=True,
        )
        items = mine[:limit]
        more = len(mine) > limit
        return Page(items=items, next_cursor=_encode_cursor(org_id, items[-1].id) if more else None)

    def update(self, old: Container, new: Container, *, limit: Allocation | None = None) -> None:
        current = self.items.get((old.organization_id, old.id))
        if current is None or current.version != old.version:
            raise Conflict(CHANGED)
        delta = new.held() - old.held()
        if delta.grows() and limit is None:
            raise ValueError("a growing claim needs the host's limit")
        if old.name.lower() != new.name.lower():
            self._take_name(new)  # raises Conflict before anything moved
        if old.host_id and delta != Allocation(0, 0):
            try:
                self.hosts.move(old.host_id, delta, limit or Allocation(0, 0))
            except Exception:
                self.names.pop((new.organization_id, new.name.lower()), None)
                raise
        if old.name.lower() != new.name.lower():
            self.names.pop((old.organization_id, old.name.lower()), None)
        self.items[(new.organization_id, new.id)] = new

    def delete_and_release(self, container: Container) -> None:
        current = self.items.get((container.organization_id, container.id))
        if current is None or current.version != container.version:
            raise Conflict(CHANGED)
        del self.items[(container.organization_id, container.id)]
        self.names.pop((container.organization_id, container.name.lower()), None)
        if container.host_id:
            self.hosts.move(container.host_id, -container.held(), Allocation(0, 0))

    def on_host(self, host_id: str) -> Iterator[Container]:
        """Like the index: a record in `unindexed` is not visible here yet (the GSI lags)."""
        return iter([c for c in self.items.values() if c.host_id == host_id and c.id not in self.unindexed])


def _encode_cursor(org_id: str, last_id: str) -> str:
    return base64.urlsafe_b64encode(f"{org_id}\n{last_id}".encode()).decode().rstrip("=")


def _decode_cursor(cursor: str | None, org_id: str) -> str | None:
    """The last id seen; ValidationFailed (field `cursor`) unless made by this fake for this organization."""
    if not cursor:
        return None
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise ValidationFailed("The cursor is not valid.", details={"field": "cursor"}) from exc
    owner, _, last_id = text.partition("\n")
    if owner != org_id or not last_id:
        raise ValidationFailed("The cursor is not valid.", details={"field": "cursor"})
    return last_id
