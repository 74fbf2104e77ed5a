"""ContainerRepository: container records, their name guards and the host capacity they hold.

Each public method is one DynamoDB call (a TransactWrite where several items move together).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, cast

from pynamodb.exceptions import DoesNotExist
from pynamodb.expressions.condition import Condition

from chalicelib.domain.containers.entities import Container, ContainerStatus, Deployment, Resources
from chalicelib.domain.hosts.engine import NetProtocol, PortBinding, VolumeMount
from chalicelib.domain.hosts.entities import ACTIVE, Allocation
from chalicelib.domain.hosts.ports import CapacityExhausted
from chalicelib.domain.shared.errors import Conflict, NotFound
from chalicelib.domain.shared.paging import Page
from chalicelib.store import keys
from chalicelib.store.admin.stats import count_running
from chalicelib.store.containers.models import ContainerItem, ContainerNameItem, PortMap, VolumeMap
from chalicelib.store.cursor import decode_cursor, encode_cursor
from chalicelib.store.hosts.models import HostItem, host_ref
from chalicelib.store.table import Item, Transaction, TransactionCancelled, store_call, transaction
from chalicelib.store.teams.projects import count_in, project_missing

if TYPE_CHECKING:
    from chalicelib.domain.quotas.entities import Usage
    from chalicelib.store.billing.meters import ContainerMeter
    from chalicelib.store.quotas.hook import ContainerQuota

CHANGED = "The container changed meanwhile; reload and try again."
QUOTA_ATTEMPTS = 3  # a refused quota update is sent again when the counters item was missing or freed up


def container_of(item: ContainerItem) -> Container:
    """The domain record of a stored container item."""
    return Container(
        id=item.id,
        organization_id=item.organization_id,
        name=item.name,
        image=item.image,
        resources=Resources(
            cpu_millis=int(item.cpu_millis),
            memory_bytes=int(item.memory_bytes),
            storage_bytes=int(item.storage_bytes) if item.storage_bytes is not None else None,
        ),
        environment=dict(item.environment or {}),
        ports=tuple(
            PortBinding(
                container=int(p.container),
                host=int(p.host) if p.host is not None else None,
                protocol=cast(NetProtocol, p.protocol),
            )
            for p in item.ports or []
        ),
        volumes=tuple(
            VolumeMount(name=v.name, path=v.path, read_only=bool(v.read_only)) for v in item.volumes or []
        ),
        replicas=int(item.replicas),
        status=cast(ContainerStatus, item.status),
        status_reason=item.status_reason,
        exit_code=int(item.exit_code) if item.exit_code is not None else None,
        host_id=item.host_id,
        engine_ids=tuple(str(e) for e in item.engine_ids or []),
        generation=int(item.generation),
        version=int(item.version),
        created_by=item.created_by,
        created_at=item.created_at,
        updated_at=item.updated_at,
        holds_capacity=item.holds_capacity is not False,
        previous=_deployment(item.previous) if item.previous else None,
        project_id=item.project_id,
        image_digest=item.image_digest,
        cluster_id=item.cluster_id,
    )


def _ports(rows: list[list[Any]]) -> tuple[PortBinding, ...]:
    return tuple(
        PortBinding(int(c), int(h) if h is not None else None, cast(NetProtocol, p)) for c, h, p in rows
    )


def _deployment(doc: dict[str, Any]) -> Deployment:
    return Deployment(
        image=str(doc["image"]),
        environment={str(k): str(v) for k, v in doc["environment"].items()},
        ports=_ports(doc["ports"]),
        volumes=tuple(VolumeMount(str(n), str(p), bool(ro)) for n, p, ro in doc["volumes"]),
        replicas=int(doc["replicas"]),
        status=cast(ContainerStatus, doc["status"]),
        exit_code=int(doc["exit_code"]) if doc.get("exit_code") is not None else None,
    )


def _deployment_doc(d: Deployment) -> dict[str, Any]:
    return {
        "image": d.image,
        "environment": d.environment,
        "ports": [[p.container, p.host, p.protocol] for p in d.ports],
        "volumes": [[v.name, v.path, v.read_only] for v in d.volumes],
        "replicas": d.replicas,
        "status": d.status,
        "exit_code": d.exit_code,
    }


def _gsi1pk(c: Container) -> str | None:
    """Containers by host (reconciliation), or by cluster (a cluster in use is not removed)."""
    if c.host_id:
        return keys.host_gsi_pk(c.host_id)
    return keys.cluster_gsi_pk(c.cluster_id) if c.cluster_id else None


def _container_item(c: Container) -> ContainerItem:
    return ContainerItem(
        keys.org_pk(c.organization_id),
        keys.container_sk(c.id),
        gsi1pk=_gsi1pk(c),
        gsi1sk=keys.host_gsi_sk(c.organization_id, c.id) if c.host_id or c.cluster_id else None,
        id=c.id,
        organization_id=c.organization_id,
        name=c.name,
        image=c.image,
        cpu_millis=c.resources.cpu_millis,
        memory_bytes=c.resources.memory_bytes,
        storage_bytes=c.resources.storage_bytes,
        environment=c.environment,
        ports=[PortMap(container=p.container, host=p.host, protocol=p.protocol) for p in c.ports],
        volumes=[VolumeMap(name=v.name, path=v.path, read_only=v.read_only) for v in c.volumes],
        replicas=c.replicas,
        status=c.status,
        status_reason=c.status_reason,
        exit_code=c.exit_code,
        host_id=c.host_id,
        engine_ids=list(c.engine_ids),
        generation=c.generation,
        version=c.version,
        created_by=c.created_by,
        created_at=c.created_at,
        updated_at=c.updated_at,
        holds_capacity=c.holds_capacity,
        previous=_deployment_doc(c.previous) if c.previous else None,
        project_id=c.project_id,
        image_digest=c.image_digest,
        cluster_id=c.cluster_id,
    )


def _name_item(c: Container, name: str | None = None) -> ContainerNameItem:
    return ContainerNameItem(
        keys.org_pk(c.organization_id),
        keys.container_name_sk(name if name is not None else c.name),
        container_id=c.id,
        created_at=c.updated_at,
        updated_at=c.updated_at,
    )


def _name_taken(name: str) -> Conflict:
    return Conflict(
        f"A container named {name!r} already exists in this organization; choose another name.",
        details={"field": "name"},
    )


def _move_allocation(tx: Transaction, host_id: str, delta: Allocation, limit: Allocation) -> None:
    """Add `delta` to the host's allocation; a growing claim must fit under `limit` on an active host."""
    condition: Condition = HostItem.pk.exists()
    if delta.grows():
        condition = (
            (HostItem.status == ACTIVE)
            & (HostItem.cpu_allocated_millis <= limit.cpu_millis)
            & (HostItem.memory_allocated_bytes <= limit.memory_bytes)
        )
    tx.update(
        "host",
        host_ref(host_id),
        actions=[
            HostItem.cpu_allocated_millis.add(delta.cpu_millis),
            HostItem.memory_allocated_bytes.add(delta.memory_bytes),
        ],
        condition=condition,
    )


def _move_project(tx: Transaction, old: Container, new: Container) -> None:
    """Count the container out of its old project and into the new one (which must exist)."""
    if old.project_id:
        count_in(tx, "old-project", old.organization_id, old.project_id, -1)
    if new.project_id:
        count_in(tx, "project", new.organization_id, new.project_id, 1)


class ContainerRepository:
    """Container records (ORG#<org> / CONTAINER#<id>), name guards and host allocations.

    `meter` (billing) and `quota` (quotas: the organization's usage counters and their limits) add their
    items to the create, update and delete transactions.
    """

    def __init__(self, meter: ContainerMeter | None = None, quota: ContainerQuota | None = None) -> None:
        self._meter = meter
        self._quota = quota

    def _quota_refused(
        self, exc: TransactionCancelled, org_id: str, delta: Usage | None, attempt: int
    ) -> None:
        """Raise why the quota counters refused the transaction; return when it should be sent again."""
        if "quota" not in exc.failed or self._quota is None or delta is None:
            return
        refused = self._quota.refusal(org_id, delta, last=attempt + 1 == QUOTA_ATTEMPTS)
        if refused is not None:
            raise refused from exc

    @store_call
    def create_on_host(self, container: Container, limit: Allocation) -> None:
        if container.host_id is None and container.cluster_id is None:
            raise ValueError("a container must be placed on a host or a cluster before it is stored")
        for attempt in range(QUOTA_ATTEMPTS):
            delta: Usage | None = None
            try:
                with transaction() as tx:
                    if container.host_id is not None:  # a cluster container claims nothing on a host
                        _move_allocation(tx, container.host_id, container.held(), limit)
                    tx.save("name", _name_item(container), condition=Item.pk.does_not_exist())
                    tx.save("record", _container_item(container), condition=Item.pk.does_not_exist())
                    count_running(tx, None, container, container.updated_at)  # the admin area's figures
                    if self._meter:
                        self._meter.created(tx, container)
                    if container.project_id:
                        count_in(tx, "project", container.organization_id, container.project_id, 1)
                    if self._quota:
                        delta = self._quota.created(tx, container)
                return
            except TransactionCancelled as exc:
                refused = self._meter.refusal(exc.failed) if self._meter else None
                if refused:
                    raise refused from exc
                if "project" in exc.failed and container.project_id:
                    raise project_missing(container.project_id, "project_id") from exc
                if "name" in exc.failed:
                    raise _name_taken(container.name) from exc
                self._quota_refused(exc, container.organization_id, delta, attempt)
                if "host" in exc.failed:
                    raise CapacityExhausted(container.host_id or "") from exc
                if exc.failed == {"quota"}:
                    continue
                raise

    @store_call
    def get(self, org_id: str, container_id: str, *, consistent: bool = False) -> Container:
        try:
            item = ContainerItem.get(
                keys.org_pk(org_id), keys.container_sk(container_id), consistent_read=consistent
            )
        except (DoesNotExist, ValueError) as exc:
            raise NotFound(f"Container {container_id} was not found.") from exc
        return container_of(item)

    @store_call
    def page(self, org_id: str, limit: int, cursor: str | None) -> Page[Container]:
        """One Query, newest first (container ids are ULIDs), a page at a time."""
        partition = keys.org_pk(org_id)
        result = ContainerItem.query(
            partition,
            ContainerItem.sk.startswith(keys.CONTAINER_PREFIX),
            scan_index_forward=False,
            limit=limit,
            page_size=limit,
            last_evaluated_key=decode_cursor(cursor, partition),
        )
        items = [container_of(item) for item in result]
        return Page(items=items, next_cursor=encode_cursor(result.last_evaluated_key))

    @store_call
    def update(self, old: Container, new: Container, *, limit: Allocation | None = None) -> None:
        delta = new.held() - old.held()
        if delta.grows() and limit is None:
            raise ValueError("a growing claim needs the host's limit")
        for attempt in range(QUOTA_ATTEMPTS):
            counted: Usage | None = None
            try:
                with transaction() as tx:
                    if old.host_id and delta != Allocation(0, 0):
                        _move_allocation(tx, old.host_id, delta, limit or Allocation(0, 0))
                    tx.save(
                        "record",
                        _container_item(new),
                        condition=Item.pk.exists() & (ContainerItem.version == old.version),
                    )
                    if old.name.lower() != new.name.lower():
                        tx.save("name", _name_item(new), condition=Item.pk.does_not_exist())
                        tx.delete("old-name", _name_item(old))
                    count_running(tx, old, new, new.updated_at)
                    if self._meter and new.footprint() != old.footprint():
                        self._meter.resized(tx, new)  # metered at the new size from now on
                    if old.project_id != new.project_id:
                        _move_project(tx, old, new)
                    if self._quota:
                        counted = self._quota.changed(tx, old, new)
                return
            except TransactionCancelled as exc:
                if "record" in exc.failed:
                    raise Conflict(CHANGED) from exc
                if "project" in exc.failed and new.project_id:
                    raise project_missing(new.project_id, "project_id") from exc
                if "name" in exc.failed:
                    raise _name_taken(new.name) from exc
                self._quota_refused(exc, new.organization_id, counted, attempt)
                if "host" in exc.failed and old.host_id:
                    raise CapacityExhausted(old.host_id) from exc
                if exc.failed == {"quota"}:
                    continue
                raise

    @store_call
    def delete_and_release(self, container: Container) -> None:
        held = container.held()
        for attempt in range(QUOTA_ATTEMPTS):
            counted: Usage | None = None
            try:
                with transaction() as tx:
                    tx.delete(
                        "record",
                        ContainerItem(
                            keys.org_pk(container.organization_id), keys.container_sk(container.id)
                        ),
                        condition=ContainerItem.version == container.version,
                    )
                    tx.delete("name", _name_item(container))
                    if container.host_id and held != Allocation(0, 0):
                        _move_allocation(tx, container.host_id, -held, Allocation(0, 0))
                    count_running(tx, container, None, container.updated_at)
                    if self._meter:
                        self._meter.deleted(tx, container)
                    if container.project_id:
                        count_in(tx, "project", container.organization_id, container.project_id, -1)
                    if self._quota:
                        counted = self._quota.deleted(tx, container)
                return
            except TransactionCancelled as exc:
                if "record" in exc.failed:
                    raise Conflict(CHANGED) from exc
                self._quota_refused(exc, container.organization_id, counted, attempt)
                if exc.failed == {"quota"}:
                    continue
                raise

    def on_host(self, host_id: str) -> Iterator[Container]:
        """Every container placed on a host (GSI1 Query, paginated internally; not a request path)."""
        yield from _on_host(host_id)


@store_call
def _on_host(host_id: str) -> list[Container]:
    """All pages at once, so a throttled page is retried or reported like any other read."""
    return [
        container_of(item)
        for item in Item.by_host.query(keys.host_gsi_pk(host_id))
        if isinstance(item, ContainerItem)
    ]
