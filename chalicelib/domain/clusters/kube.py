"""The Kubernetes port: what the platform needs from one cluster's API server. Adapters implement it.

Plain dataclasses and Protocols only, so `import app` stays cheap and tests implement the same shapes.
Every method raises EngineUnavailable when the API server does not answer (transient, retried) and
EngineError when it refuses (bad token, forbidden, invalid object).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, Protocol

from chalicelib.domain.clusters.entities import ClusterCredentials
from chalicelib.domain.hosts.engine import LogLine, NetProtocol

RolloutState = Literal["available", "progressing", "failed"]


@dataclass(frozen=True)
class WorkloadPort:
    port: int
    protocol: NetProtocol = "tcp"


@dataclass(frozen=True)
class Workload:
    """One container record as a Deployment (and a Service when it listens on ports) in `namespace`."""

    namespace: str
    name: str
    image: str
    cpu_millis: int  # requests = limits
    memory_bytes: int  # requests = limits
    replicas: int
    environment: Mapping[str, str] = field(default_factory=dict)
    ports: Sequence[WorkloadPort] = ()
    labels: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class WorkloadState:
    """What the Deployment's status and conditions say."""

    state: RolloutState
    replicas: int  # spec.replicas
    ready_replicas: int
    reason: str | None  # the failing condition's reason and message
    pods: tuple[str, ...]  # running pod names, oldest first


class KubernetesApi(Protocol):
    """One cluster's API server (namespaces, network policies, deployments, services, pods)."""

    def version(self) -> str:
        """The server's gitVersion (the registration probe)."""
        ...

    def ensure_namespace(self, namespace: str, labels: Mapping[str, str]) -> None:
        """The namespace and its default-deny NetworkPolicy (ingress from its own namespace only); safe to
        call again and when another caller creates them concurrently."""
        ...

    def apply(self, workload: Workload) -> None:
        """Create the Deployment (and Service), or replace their specs when they exist."""
        ...

    def state(self, namespace: str, name: str) -> WorkloadState | None:
        """The Deployment's rollout state, or None when there is none."""
        ...

    def scale(self, namespace: str, name: str, replicas: int) -> None:
        """Set replicas through the scale subresource. Raises EngineContainerMissing when it is gone."""
        ...

    def restart(self, namespace: str, name: str, at: datetime) -> None:
        """Roll every pod (the restartedAt annotation, as `kubectl rollout restart` does)."""
        ...

    def logs(self, namespace: str, name: str, tail: int, since: datetime | None) -> list[tuple[int, LogLine]]:
        """The last `tail` lines of each pod (replica index, line), after `since` when given."""
        ...

    def delete(self, namespace: str, name: str) -> None:
        """Delete the Deployment (its pods go with it) and the Service; no error when already gone."""
        ...


class KubernetesConnector(Protocol):
    """Builds a KubernetesApi for a cluster's endpoint, CA and token."""

    def __call__(self, credentials: ClusterCredentials) -> KubernetesApi: ...
