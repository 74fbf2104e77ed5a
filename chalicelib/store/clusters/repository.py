"""ClusterRepository: Kubernetes clusters (CLUSTERS / CLUSTER#<id>), a small platform partition."""

from __future__ import annotations

from pynamodb.exceptions import DeleteError, DoesNotExist, PutError

from chalicelib.domain.clusters.entities import Cluster, ClusterSecret
from chalicelib.domain.shared.errors import NotFound
from chalicelib.store import keys
from chalicelib.store.clusters.models import ClusterItem
from chalicelib.store.table import Item, is_condition_failure, store_call


def _cluster(item: ClusterItem) -> Cluster:
    return Cluster(
        id=item.id,
        name=item.name,
        endpoint=item.endpoint,
        has_ca=bool(item.ca_cert),
        created_at=item.created_at,
        updated_at=item.updated_at,
    )


def _missing(cluster_id: str) -> NotFound:
    return NotFound(f"Cluster {cluster_id} was not found.")


def _item(cluster: Cluster, secret: ClusterSecret) -> ClusterItem:
    return ClusterItem(
        keys.CLUSTERS_PK,
        keys.cluster_sk(cluster.id),
        id=cluster.id,
        name=cluster.name,
        endpoint=cluster.endpoint,
        ca_cert=secret.ca_cert,
        token_encrypted=secret.token_encrypted,
        created_at=cluster.created_at,
        updated_at=cluster.updated_at,
    )


class ClusterRepository:
    """The registry of Kubernetes clusters; each method is one DynamoDB call."""

    @store_call
    def list_all(self) -> list[Cluster]:
        return [
            _cluster(item)
            for item in ClusterItem.query(keys.CLUSTERS_PK, ClusterItem.sk.startswith(keys.CLUSTER_PREFIX))
        ]

    @store_call
    def get(self, cluster_id: str) -> Cluster:
        return _cluster(self._get(cluster_id))

    @store_call
    def get_secret(self, cluster_id: str) -> ClusterSecret:
        item = self._get(cluster_id)
        return ClusterSecret(ca_cert=item.ca_cert, token_encrypted=item.token_encrypted)

    @store_call
    def add(self, cluster: Cluster, secret: ClusterSecret) -> None:
        _item(cluster, secret).save(condition=Item.pk.does_not_exist())

    @store_call
    def update(self, cluster: Cluster, secret: ClusterSecret) -> None:
        try:
            _item(cluster, secret).save(condition=Item.pk.exists())
        except PutError as exc:
            if is_condition_failure(exc):
                raise _missing(cluster.id) from exc
            raise

    @store_call
    def remove(self, cluster_id: str) -> None:
        try:
            ClusterItem(keys.CLUSTERS_PK, keys.cluster_sk(cluster_id)).delete(condition=Item.pk.exists())
        except DeleteError as exc:
            if is_condition_failure(exc):
                raise _missing(cluster_id) from exc
            raise

    @store_call
    def in_use(self, cluster_id: str) -> bool:
        """One GSI1 Query for a single container that targets the cluster."""
        return any(True for _ in Item.by_host.query(keys.cluster_gsi_pk(cluster_id), limit=1))

    @staticmethod
    def _get(cluster_id: str) -> ClusterItem:
        try:
            return ClusterItem.get(keys.CLUSTERS_PK, keys.cluster_sk(cluster_id))
        except (DoesNotExist, ValueError) as exc:
            raise _missing(cluster_id) from exc
