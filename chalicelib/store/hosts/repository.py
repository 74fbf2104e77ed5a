"""HostRepository: container hosts (HOSTS / HOST#<id>), a small platform partition read with one Query."""

from __future__ import annotations

from datetime import datetime
from typing import cast

from pynamodb.exceptions import DeleteError, DoesNotExist, UpdateError

from chalicelib.domain.hosts.entities import Allocation, Host, HostStatus
from chalicelib.domain.shared.errors import Conflict, NotFound
from chalicelib.store import keys
from chalicelib.store.hosts.models import HostItem, host_ref
from chalicelib.store.table import Item, is_condition_failure, store_call


def _host(item: HostItem) -> Host:
    return Host(
        id=item.id,
        name=item.name,
        url=item.url,
        status=cast(HostStatus, item.status),
        capacity=Allocation(int(item.cpu_capacity_millis), int(item.memory_capacity_bytes)),
        allocated=Allocation(int(item.cpu_allocated_millis), int(item.memory_allocated_bytes)),
        has_tls=item.tls is not None,
        is_default=bool(item.is_default),
        created_at=item.created_at,
    )


class HostRepository:
    """The registry of Docker Engine endpoints."""

    @store_call
    def list_all(self) -> list[Host]:
        return [
            _host(item) for item in HostItem.query(keys.HOSTS_PK, HostItem.sk.startswith(keys.HOST_PREFIX))
        ]

    @store_call
    def get(self, host_id: str) -> Host:
        try:
            return _host(HostItem.get(keys.HOSTS_PK, keys.host_sk(host_id)))
        except (DoesNotExist, ValueError) as exc:
            raise NotFound(f"Host {host_id} was not found.") from exc

    def get_tls(self, host_id: str) -> dict[str, str] | None:
        try:
            tls = HostItem.get(keys.HOSTS_PK, keys.host_sk(host_id)).tls
        except DoesNotExist as exc:
            raise NotFound(f"Host {host_id} was not found.") from exc
        return dict(tls) if tls else None

    def add(self, host: Host, tls: dict[str, str] | None) -> None:
        HostItem(
            keys.HOSTS_PK,
            keys.host_sk(host.id),
            id=host.id,
            name=host.name,
            url=host.url,
            tls=tls,
            status=host.status,
            cpu_capacity_millis=host.capacity.cpu_millis,
            memory_capacity_bytes=host.capacity.memory_bytes,
            cpu_allocated_millis=host.allocated.cpu_millis,
            memory_allocated_bytes=host.allocated.memory_bytes,
            is_default=host.is_default,
            created_at=host.created_at,
            updated_at=host.created_at,
        ).save(condition=Item.pk.does_not_exist())

    def set_status(self, host_id: str, status: HostStatus, now: datetime) -> Host:
        item = host_ref(host_id)
        try:
            item.update(
                actions=[HostItem.status.set(status), HostItem.updated_at.set(now)],
                condition=HostItem.pk.exists(),
            )
        except UpdateError as exc:
            if is_condition_failure(exc):
                raise NotFound(f"Host {host_id} was not found.") from exc
            raise
        return _host(item)

    def remove(self, host_id: str) -> None:
        """Delete the host only while nothing is allocated on it. Raises Conflict otherwise."""
        try:
            host_ref(host_id).delete(
                condition=HostItem.pk.exists()
                & (HostItem.cpu_allocated_millis == 0)
                & (HostItem.memory_allocated_bytes == 0)
            )
        except DeleteError as exc:
            if is_condition_failure(exc):
                self.get(host_id)  # NotFound when it is gone
                raise Conflict(
                    "The host still has containers; drain it and move or delete them first."
                ) from exc
            raise
