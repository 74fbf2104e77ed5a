"""Seed routes for containers, their logs and their metrics."""

from __future__ import annotations

from chalice.app import Blueprint

from chalicelib.api.containers.observed import LogsOut, MetricsOut
from chalicelib.api.containers.schemas import (
    ContainerCreateIn,
    ContainerListOut,
    ContainerOut,
    ContainerUpdateIn,
    DeleteQuery,
    LogsQuery,
    ScaleIn,
)
from chalicelib.api.http import Call, endpoint
from chalicelib.api.wire import PageQuery
from chalicelib.domain.shared.clock import utcnow
from chalicelib.domain.shared.roles import ANY_MEMBER, OPERATE
from chalicelib.wiring.containers import get_containers

bp = Blueprint(__name__)
TAG = "containers"


@endpoint(
    bp,
    "/api/containers",
    "GET",
    summary="The organization's containers, a page at a time",
    tag=TAG,
    query=PageQuery,
    response=ContainerListOut,
    roles=ANY_MEMBER,
)
def list_containers(call: Call) -> ContainerListOut:
    q: PageQuery = call.query
    page = get_containers().page(call.principal, q.limit, q.cursor)
    return ContainerListOut(containers=[ContainerOut.of(c) for c in page.items], next_cursor=page.next_cursor)


@endpoint(
    bp,
    "/api/containers",
    "POST",
    summary="Deploy a container (provisioned asynchronously)",
    tag=TAG,
    status=202,
    request=ContainerCreateIn,
    response=ContainerOut,
    errors=(404, 409, 503),
    idempotent=True,
    roles=OPERATE,
)
def create_container(call: Call) -> ContainerOut:
    body: ContainerCreateIn = call.body
    return ContainerOut.of(get_containers().create(call.principal, body.to_domain()))


@endpoint(
    bp,
    "/api/containers/{container_id}",
    "GET",
    summary="One container",
    tag=TAG,
    response=ContainerOut,
    errors=(404,),
    roles=ANY_MEMBER,
)
def get_container(call: Call, container_id: str) -> ContainerOut:
    return ContainerOut.of(get_containers().get(call.principal, container_id))


@endpoint(
    bp,
    "/api/containers/{container_id}",
    "PUT",
    summary="Rename, or change image/environment/ports/volumes (redeploys)",
    tag=TAG,
    request=ContainerUpdateIn,
    response=ContainerOut,
    errors=(404, 409, 503),
    roles=OPERATE,
)
def update_container(call: Call, container_id: str) -> ContainerOut:
    body: ContainerUpdateIn = call.body
    return ContainerOut.of(get_containers().update(call.principal, container_id, body.to_domain()))


@endpoint(
    bp,
    "/api/containers/{container_id}",
    "DELETE",
    summary="Remove the container (its volumes too with ?purge_volumes=true)",
    tag=TAG,
    status=204,
    query=DeleteQuery,
    errors=(404, 503),
    roles=OPERATE,
)
def delete_container(call: Call, container_id: str) -> None:
    q: DeleteQuery = call.query
    get_containers().delete(call.principal, container_id, q.purge_volumes)


@endpoint(
    bp,
    "/api/containers/{container_id}/start",
    "POST",
    summary="Start a stopped container",
    tag=TAG,
    response=ContainerOut,
    errors=(404, 409, 503),
    roles=OPERATE,
)
def start_container(call: Call, container_id: str) -> ContainerOut:
    return ContainerOut.of(get_containers().start(call.principal, container_id))


@endpoint(
    bp,
    "/api/containers/{container_id}/stop",
    "POST",
    summary="Stop a running container",
    tag=TAG,
    response=ContainerOut,
    errors=(404, 409, 503),
    roles=OPERATE,
)
def stop_container(call: Call, container_id: str) -> ContainerOut:
    return ContainerOut.of(get_containers().stop(call.principal, container_id))


@endpoint(
    bp,
    "/api/containers/{container_id}/restart",
    "POST",
    summary="Restart a container",
    tag=TAG,
    response=ContainerOut,
    errors=(404, 409, 503),
    roles=OPERATE,
)
def restart_container(call: Call, container_id: str) -> ContainerOut:
    return ContainerOut.of(get_containers().restart(call.principal, container_id))


@endpoint(
    bp,
    "/api/containers/{container_id}/scale",
    "POST",
    summary="Change replicas (redeploys) and/or CPU/memory (applied in place)",
    tag=TAG,
    request=ScaleIn,
    response=ContainerOut,
    errors=(404, 409, 503),
    roles=OPERATE,
)
def scale_container(call: Call, container_id: str) -> ContainerOut:
    body: ScaleIn = call.body
    resources = body.resources.to_domain() if body.resources else None
    return ContainerOut.of(get_containers().scale(call.principal, container_id, body.replicas, resources))


@endpoint(
    bp,
    "/api/logs/containers/{container_id}",
    "GET",
    summary="The container's recent log lines",
    tag="monitoring",
    query=LogsQuery,
    response=LogsOut,
    errors=(404, 409, 503),
    roles=ANY_MEMBER,
)
def container_logs(call: Call, container_id: str) -> LogsOut:
    q: LogsQuery = call.query
    lines = get_containers().logs(call.principal, container_id, q.tail, q.since)
    return LogsOut.of(container_id, lines)


@endpoint(
    bp,
    "/api/metrics/containers/{container_id}",
    "GET",
    summary="Current CPU, memory, network and block I/O from the engine",
    tag="monitoring",
    response=MetricsOut,
    errors=(404, 409, 503),
    roles=ANY_MEMBER,
)
def container_metrics(call: Call, container_id: str) -> MetricsOut:
    metrics = get_containers().metrics(call.principal, container_id)
    return MetricsOut.of_container(container_id, metrics, utcnow())
