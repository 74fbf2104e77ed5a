"""Storage port of the cluster registry."""

from __future__ import annotations

from typing import Protocol

from chalicelib.domain.clusters.entities import Cluster, ClusterSecret


class Clusters(Protocol):
    """The registry of Kubernetes clusters (a small platform partition)."""

    def list_all(self) -> list[Cluster]: ...

    def get(self, cluster_id: str) -> Cluster:
        """Raises NotFound."""
        ...

    def get_secret(self, cluster_id: str) -> ClusterSecret:
        """The CA and the encrypted token. Raises NotFound."""
        ...

    def add(self, cluster: Cluster, secret: ClusterSecret) -> None: ...

    def update(self, cluster: Cluster, secret: ClusterSecret) -> None:
        """Replace the record and its secret. Raises NotFound."""
        ...

    def remove(self, cluster_id: str) -> None:
        """Raises NotFound."""
        ...

    def in_use(self, cluster_id: str) -> bool:
        """True when some container targets the cluster (an index read: a container created moments ago
        may not show yet)."""
        ...
