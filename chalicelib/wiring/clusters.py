"""Clusters: the Kubernetes cluster registry with its store, the kubernetes connector and KMS."""

from __future__ import annotations

from chalicelib.domain.clusters.service import ClusterService
from chalicelib.domain.containers.on_cluster import OnClusters
from chalicelib.wiring import component, secret_box, settings
from chalicelib.wiring.events import audit_trail


@component
def get_clusters() -> ClusterService:
    from chalicelib.adapters.kubernetes.cluster import connect_kubernetes
    from chalicelib.store.clusters.repository import ClusterRepository

    settings()
    return ClusterService(ClusterRepository(), connect_kubernetes, secret_box(), audit=audit_trail())


@component
def on_clusters() -> OnClusters:
    """Containers on clusters, connecting through the registry (one client per cluster, reused)."""
    from chalicelib.store.clusters.repository import ClusterRepository

    settings()
    return OnClusters(ClusterRepository(), get_clusters().api_for)
