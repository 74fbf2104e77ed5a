"""Admin-only registry of container hosts (Docker Engine endpoints)."""

from __future__ import annotations

from chalice.app import Blueprint

from chalicelib.api.hosts.schemas import HostIn, HostListOut, HostOut
from chalicelib.api.http import Call, endpoint
from chalicelib.wiring.hosts import get_hosts

bp = Blueprint(__name__)
TAG = "admin"


@endpoint(
    bp,
    "/api/admin/hosts",
    "GET",
    summary="Registered container hosts",
    tag=TAG,
    auth="admin",
    response=HostListOut,
)
def list_hosts(call: Call) -> HostListOut:
    return HostListOut(hosts=[HostOut.of(h) for h in get_hosts().list_hosts(call.principal)])


@endpoint(
    bp,
    "/api/admin/hosts",
    "POST",
    summary="Register a Docker Engine endpoint (unix socket or TCP+TLS)",
    tag=TAG,
    auth="admin",
    status=201,
    request=HostIn,
    response=HostOut,
    errors=(503,),
)
def add_host(call: Call) -> HostOut:
    body: HostIn = call.body
    return HostOut.of(get_hosts().add(call.principal, body.to_domain()))


@endpoint(
    bp,
    "/api/admin/hosts/{host_id}",
    "GET",
    summary="One container host",
    tag=TAG,
    auth="admin",
    response=HostOut,
    errors=(404,),
)
def get_host(call: Call, host_id: str) -> HostOut:
    return HostOut.of(get_hosts().get(call.principal, host_id))


@endpoint(
    bp,
    "/api/admin/hosts/{host_id}/drain",
    "POST",
    summary="Stop placing new containers on a host",
    tag=TAG,
    auth="admin",
    response=HostOut,
    errors=(404,),
)
def drain_host(call: Call, host_id: str) -> HostOut:
    return HostOut.of(get_hosts().drain(call.principal, host_id))


@endpoint(
    bp,
    "/api/admin/hosts/{host_id}/activate",
    "POST",
    summary="Place containers on a host again",
    tag=TAG,
    auth="admin",
    response=HostOut,
    errors=(404,),
)
def activate_host(call: Call, host_id: str) -> HostOut:
    return HostOut.of(get_hosts().activate(call.principal, host_id))


@endpoint(
    bp,
    "/api/admin/hosts/{host_id}",
    "DELETE",
    summary="Remove a host that has no containers",
    tag=TAG,
    auth="admin",
    status=204,
    errors=(404, 409),
)
def remove_host(call: Call, host_id: str) -> None:
    get_hosts().remove(call.principal, host_id)
