"""Kubernetes clusters: the admin registry, and the list customers choose from when deploying."""

from __future__ import annotations

from chalice.app import Blueprint

from chalicelib.api.clusters.schemas import (
    ClusterChoiceOut,
    ClusterChoicesOut,
    ClusterIn,
    ClusterListOut,
    ClusterOut,
    ClusterUpdateIn,
)
from chalicelib.api.http import Call, endpoint
from chalicelib.wiring.clusters import get_clusters

bp = Blueprint(__name__)
TAG = "admin"


@endpoint(
    bp,
    "/api/clusters",
    "GET",
    summary="Kubernetes clusters a container can be deployed to",
    tag="containers",
    auth="org",
    response=ClusterChoicesOut,
)
def cluster_choices(call: Call) -> ClusterChoicesOut:
    return ClusterChoicesOut(
        clusters=[ClusterChoiceOut(id=c.id, name=c.name) for c in get_clusters().names()]
    )


@endpoint(
    bp,
    "/api/admin/clusters",
    "GET",
    summary="Registered Kubernetes clusters",
    tag=TAG,
    auth="admin",
    response=ClusterListOut,
)
def list_clusters(call: Call) -> ClusterListOut:
    return ClusterListOut(clusters=[ClusterOut.of(c) for c in get_clusters().list_clusters(call.principal)])


@endpoint(
    bp,
    "/api/admin/clusters",
    "POST",
    summary="Register a Kubernetes cluster (API endpoint, CA certificate, service account token)",
    tag=TAG,
    auth="admin",
    status=201,
    request=ClusterIn,
    response=ClusterOut,
    errors=(503,),
)
def add_cluster(call: Call) -> ClusterOut:
    body: ClusterIn = call.body
    return ClusterOut.of(get_clusters().add(call.principal, body.to_domain()))


@endpoint(
    bp,
    "/api/admin/clusters/{cluster_id}",
    "GET",
    summary="One Kubernetes cluster",
    tag=TAG,
    auth="admin",
    response=ClusterOut,
    errors=(404,),
)
def get_cluster(call: Call, cluster_id: str) -> ClusterOut:
    return ClusterOut.of(get_clusters().get(call.principal, cluster_id))


@endpoint(
    bp,
    "/api/admin/clusters/{cluster_id}",
    "PUT",
    summary="Rename a cluster, move its endpoint or rotate its token or CA",
    tag=TAG,
    auth="admin",
    request=ClusterUpdateIn,
    response=ClusterOut,
    errors=(404, 503),
)
def update_cluster(call: Call, cluster_id: str) -> ClusterOut:
    body: ClusterUpdateIn = call.body
    return ClusterOut.of(get_clusters().update(call.principal, cluster_id, body.to_domain()))


@endpoint(
    bp,
    "/api/admin/clusters/{cluster_id}",
    "DELETE",
    summary="Remove a cluster no container runs on",
    tag=TAG,
    auth="admin",
    status=204,
    errors=(404, 409),
)
def remove_cluster(call: Call, cluster_id: str) -> None:
    get_clusters().remove(call.principal, cluster_id)
