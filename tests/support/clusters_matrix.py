"""Kubernetes cluster rows of the authorization matrix, and the cluster the cells name (registered against
the sandbox stub: tests/support/k8s.py)."""

from __future__ import annotations

from devstack.k8s_http import KubeServer
from devstack.k8s_stub import SANDBOX_TOKEN
from tests.support.matrix import Row, World

_SERVER: list[KubeServer] = []


def cluster_body(world: World) -> dict[str, str]:
    return {"name": world.unique("cluster"), "endpoint": _SERVER[0].url, "token": SANDBOX_TOKEN}


def spare_cluster(world: World) -> str:
    reply = world.admin.call("POST", "/api/admin/clusters", cluster_body(world))
    assert reply.status == 201, reply.body
    return str(reply.body["id"])


def add_cluster_resources(world: World, server: KubeServer) -> None:
    """A registered sandbox cluster (`cluster_id`), and spare ones for the remove cells."""
    _SERVER[:] = [server]
    world.makers["cluster_id"] = spare_cluster
    world.ids["cluster_id"] = spare_cluster(world)


CLUSTER_ROWS: dict[str, Row] = {
    # the clusters a customer may deploy to: any member of any organization (no credentials in it)
    "cluster_choices": Row(),
    # the registry: platform admins only
    "list_clusters": Row(),
    "add_cluster": Row(body=cluster_body),
    "get_cluster": Row(),
    "update_cluster": Row(body=lambda w: {"name": w.unique("renamed")}),
    "remove_cluster": Row(fresh=("cluster_id",)),
}
