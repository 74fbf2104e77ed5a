"""In-memory fakes of the cluster registry (contract-tested with ClusterRepository) and a Kubernetes API."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from chalicelib.domain.clusters.entities import Cluster, ClusterCredentials, ClusterSecret
from chalicelib.domain.clusters.kube import Workload, WorkloadState
from chalicelib.domain.hosts.engine import LogLine
from chalicelib.domain.shared.errors import EngineContainerMissing, EngineError, EngineUnavailable, NotFound
from tests.fakes.containers import FakeContainers


class FakeClusters:
    def __init__(self, containers: FakeContainers | None = None) -> None:
        self.clusters: dict[str, Cluster] = {}
        self.secrets: dict[str, ClusterSecret] = {}
        self.containers = containers

    def list_all(self) -> list[Cluster]:
        return list(self.clusters.values())

    def get(self, cluster_id: str) -> Cluster:
        if cluster_id not in self.clusters:
            raise NotFound(f"Cluster {cluster_id} was not found.")
        return self.clusters[cluster_id]

    def get_secret(self, cluster_id: str) -> ClusterSecret:
        self.get(cluster_id)
        return self.secrets[cluster_id]

    def add(self, cluster: Cluster, secret: ClusterSecret) -> None:
        self.clusters[cluster.id] = replace(cluster, has_ca=bool(secret.ca_cert))  # as the store derives it
        self.secrets[cluster.id] = secret

    def update(self, cluster: Cluster, secret: ClusterSecret) -> None:
        self.get(cluster.id)
        self.add(cluster, secret)

    def remove(self, cluster_id: str) -> None:
        self.get(cluster_id)
        del self.clusters[cluster_id]
        del self.secrets[cluster_id]

    def in_use(self, cluster_id: str) -> bool:
        items = self.containers.items.values() if self.containers else []
        return any(c.cluster_id == cluster_id for c in items)


@dataclass
class FakeKube:
    """A Kubernetes API in memory: namespaces, workloads by (namespace, name), pods per replica."""

    namespaces: dict[str, Mapping[str, str]] = field(default_factory=dict)
    workloads: dict[tuple[str, str], Workload] = field(default_factory=dict)
    calls: list[str] = field(default_factory=list)
    failing_images: set[str] = field(default_factory=set)
    slow: bool = False  # rollouts stay "progressing"
    restarts: int = 0
    token: str = "good"
    down: bool = False

    def version(self) -> str:
        if self.down:
            raise EngineUnavailable("no answer")
        return "v1.33.0-fake"

    def ensure_namespace(self, namespace: str, labels: Mapping[str, str]) -> None:
        self.calls.append(f"namespace {namespace}")
        self.namespaces.setdefault(namespace, dict(labels))

    def apply(self, workload: Workload) -> None:
        if workload.namespace not in self.namespaces:
            raise EngineError(f'namespaces "{workload.namespace}" not found')
        self.calls.append(f"apply {workload.name} {workload.image} x{workload.replicas}")
        self.workloads[(workload.namespace, workload.name)] = workload

    def state(self, namespace: str, name: str) -> WorkloadState | None:
        w = self.workloads.get((namespace, name))
        if w is None:
            return None
        pods = tuple(f"{name}-{w.image.replace(':', '-')}-{i}" for i in range(w.replicas))
        if w.image in self.failing_images:
            return WorkloadState(
                "failed", w.replicas, 0, "ProgressDeadlineExceeded: image cannot be pulled", ()
            )
        if self.slow:
            return WorkloadState("progressing", w.replicas, 0, None, ())
        return WorkloadState("available", w.replicas, w.replicas, None, pods)

    def scale(self, namespace: str, name: str, replicas: int) -> None:
        w = self.workloads.get((namespace, name))
        if w is None:
            raise EngineContainerMissing(name)
        self.calls.append(f"scale {name} {replicas}")
        self.workloads[(namespace, name)] = replace(w, replicas=replicas)

    def restart(self, namespace: str, name: str, at: datetime) -> None:
        if (namespace, name) not in self.workloads:
            raise EngineContainerMissing(name)
        self.restarts += 1

    def logs(self, namespace: str, name: str, tail: int, since: datetime | None) -> list[tuple[int, LogLine]]:
        w = self.workloads.get((namespace, name))
        if w is None:
            return []
        when = datetime(2026, 1, 1, tzinfo=UTC)
        return [(i, LogLine(when, "stdout", f"replica {i} of {w.image}")) for i in range(w.replicas)]

    def delete(self, namespace: str, name: str) -> None:
        self.calls.append(f"delete {name}")
        self.workloads.pop((namespace, name), None)


class FakeKubeConnector:
    """Connects every endpoint to one FakeKube, checking the token like an API server would."""

    def __init__(self, kube: FakeKube) -> None:
        self.kube = kube
        self.seen: list[ClusterCredentials] = []

    def __call__(self, credentials: ClusterCredentials) -> FakeKube:
        self.seen.append(credentials)
        if credentials.token != self.kube.token:
            return _Refusing()  # type: ignore[return-value]
        return self.kube


class _Refusing(FakeKube):
    def version(self) -> str:
        raise EngineError("Unauthorized")
