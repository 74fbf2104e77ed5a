"""The admin-only registry of Kubernetes clusters containers can target instead of a Docker host."""

from __future__ import annotations

import uuid
from dataclasses import replace

from chalicelib.domain.audit.events import deleted
from chalicelib.domain.clusters.entities import (
    Cluster,
    ClusterCredentials,
    ClusterRequest,
    ClusterSecret,
    check_endpoint,
    token_context,
)
from chalicelib.domain.clusters.kube import KubernetesApi, KubernetesConnector
from chalicelib.domain.clusters.ports import Clusters
from chalicelib.domain.shared.audit import AuditEvent, AuditTrail, NoAudit
from chalicelib.domain.shared.clock import Clock, utcnow
from chalicelib.domain.shared.errors import (
    Conflict,
    EngineError,
    EngineUnavailable,
    PermissionDenied,
    ValidationFailed,
)
from chalicelib.domain.shared.principal import Principal
from chalicelib.domain.shared.secrets import SecretBox


class ClusterService:
    """Register, list, change and remove clusters; connect to them with the decrypted token.

    Raises PermissionDenied for non-admins, ValidationFailed for an endpoint that does not answer as a
    Kubernetes API server with the given CA and token, NotFound, Conflict (a cluster still in use).
    """

    def __init__(
        self,
        clusters: Clusters,
        connect: KubernetesConnector,
        box: SecretBox,
        *,
        clock: Clock = utcnow,
        audit: AuditTrail | None = None,
    ) -> None:
        self._clusters = clusters
        self._connect = connect
        self._box = box
        self._clock = clock
        self._audit = audit or NoAudit()
        self._apis: dict[tuple[str, str], KubernetesApi] = {}

    def list_clusters(self, p: Principal) -> list[Cluster]:
        _require_admin(p)
        return self._clusters.list_all()

    def names(self) -> list[Cluster]:
        """Every cluster (what a customer may choose from when deploying; no credentials in a Cluster)."""
        return self._clusters.list_all()

    def get(self, p: Principal, cluster_id: str) -> Cluster:
        _require_admin(p)
        return self._clusters.get(cluster_id)

    def add(self, p: Principal, req: ClusterRequest) -> Cluster:
        """Probe the API server with the token, then store the record with the token encrypted."""
        _require_admin(p)
        if not (req.name and req.endpoint and req.token):
            raise ValidationFailed("name, endpoint and token are required.", details={"field": "token"})
        check_endpoint(req.endpoint, req.ca_cert)
        self._probe(ClusterCredentials(req.endpoint, req.ca_cert, req.token))
        now = self._clock()
        cluster = Cluster(str(uuid.uuid4()), req.name, req.endpoint, bool(req.ca_cert), now, now)
        self._clusters.add(cluster, self._seal(cluster.id, req.ca_cert, req.token))
        after = {"name": cluster.name, "endpoint": cluster.endpoint}  # never the token
        self._audit.record(
            AuditEvent("cluster.registered", p.user_id, None, "cluster", cluster.id, after=after)
        )
        return cluster

    def update(self, p: Principal, cluster_id: str, req: ClusterRequest) -> Cluster:
        """Rename, move the endpoint or rotate the token/CA; a changed connection is probed first."""
        _require_admin(p)
        current = self._clusters.get(cluster_id)
        stored = self._clusters.get_secret(cluster_id)
        endpoint = req.endpoint or current.endpoint
        ca_cert = req.ca_cert if req.ca_cert is not None else stored.ca_cert
        token = req.token or self._box.decrypt(stored.token_encrypted, token_context(cluster_id))
        check_endpoint(endpoint, ca_cert)
        if req.endpoint or req.ca_cert is not None or req.token:
            self._probe(ClusterCredentials(endpoint, ca_cert, token))
        updated = replace(
            current,
            name=req.name or current.name,
            endpoint=endpoint,
            has_ca=bool(ca_cert),
            updated_at=self._clock(),
        )
        secret = self._seal(cluster_id, ca_cert, token) if req.token or req.ca_cert is not None else stored
        self._clusters.update(updated, secret)
        self._apis = {k: v for k, v in self._apis.items() if k[0] != cluster_id}
        after = {"name": updated.name, "endpoint": updated.endpoint, "rotated": bool(req.token)}
        self._audit.record(AuditEvent("cluster.updated", p.user_id, None, "cluster", cluster_id, after=after))
        return updated

    def remove(self, p: Principal, cluster_id: str) -> None:
        """Only a cluster no container targets can be removed (else Conflict)."""
        _require_admin(p)
        cluster = self._clusters.get(cluster_id)
        if self._clusters.in_use(cluster_id):
            raise Conflict("Containers still run on this cluster; delete them first.")
        self._clusters.remove(cluster_id)
        self._audit.record(deleted(p, "cluster", cluster_id, name=cluster.name, endpoint=cluster.endpoint))

    def api_for(self, cluster: Cluster) -> KubernetesApi:
        """A connected API client for a registered cluster, kept for reuse (one connection pool each)."""
        key = (cluster.id, cluster.updated_at.isoformat())
        if key not in self._apis:
            stored = self._clusters.get_secret(cluster.id)
            token = self._box.decrypt(stored.token_encrypted, token_context(cluster.id))
            self._apis[key] = self._connect(ClusterCredentials(cluster.endpoint, stored.ca_cert, token))
        return self._apis[key]

    def _seal(self, cluster_id: str, ca_cert: str | None, token: str) -> ClusterSecret:
        return ClusterSecret(ca_cert or None, self._box.encrypt(token, token_context(cluster_id)))

    def _probe(self, credentials: ClusterCredentials) -> None:
        try:
            self._connect(credentials).version()
        except EngineUnavailable as exc:
            raise ValidationFailed(
                f"No Kubernetes API server answers at {credentials.endpoint}; check the address.",
                details={"field": "endpoint"},
            ) from exc
        except EngineError as exc:  # 401/403, a CA that does not match, not a Kubernetes API
            raise ValidationFailed(
                f"The Kubernetes API server at {credentials.endpoint} cannot be used: {exc.message}",
                details={"field": "token"},
            ) from exc


def _require_admin(p: Principal) -> None:
    if not p.is_admin:
        raise PermissionDenied("Only platform administrators can manage Kubernetes clusters.")
