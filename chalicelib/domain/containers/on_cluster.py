"""Containers that target a Kubernetes cluster instead of a Docker host: a Deployment (requests/limits from
the resources, replicas from the scale) and a Service in the organization's own namespace, behind a
default-deny NetworkPolicy between organizations. The container service and the provisioning steps hand a
record with `cluster_id` to this class; everything else about the record (names, billing, rollout) is shared.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from chalicelib.domain.clusters.entities import Cluster
from chalicelib.domain.clusters.kube import KubernetesApi, Workload, WorkloadPort
from chalicelib.domain.clusters.ports import Clusters
from chalicelib.domain.containers.entities import Container, ContainerRequest, ReplicaLog, Resources
from chalicelib.domain.containers.naming import Gone
from chalicelib.domain.shared.clock import Clock, utcnow
from chalicelib.domain.shared.errors import (
    Conflict,
    EngineContainerMissing,
    EngineError,
    EngineUnavailable,
    NotFound,
    ValidationFailed,
)

ApiFor = Callable[[Cluster], KubernetesApi]
MANAGED_BY = {"app.kubernetes.io/managed-by": "containerstacks"}
LABEL_ORG = "containerstacks.io/organization"
LABEL_CONTAINER = "containerstacks.io/container"


class RolloutInProgress(EngineUnavailable):
    """The Deployment is still rolling out: the provisioning workflow asks again for a few minutes (its own
    Retry on this error name), then gives up like on any other failure."""


def namespace_of(org_id: str) -> str:
    """One namespace per organization (a DNS label: lowercase, at most 63 characters)."""
    return f"cs-{org_id.lower()}"


def workload_name(container_id: str) -> str:
    return f"cs-{container_id.lower()}"


def workload_of(c: Container, replicas: int | None = None) -> Workload:
    return Workload(
        namespace=namespace_of(c.organization_id),
        name=workload_name(c.id),
        image=c.image,
        cpu_millis=c.resources.cpu_millis,
        memory_bytes=c.resources.memory_bytes,
        replicas=c.replicas if replicas is None else replicas,
        environment=dict(c.environment),
        ports=tuple(WorkloadPort(p.container, p.protocol) for p in c.ports),
        labels={**MANAGED_BY, LABEL_ORG: c.organization_id, LABEL_CONTAINER: c.id},
    )


class OnClusters:
    """Container operations on a cluster. Raises ValidationFailed (no such cluster, volumes), Conflict,
    EngineUnavailable (the API server does not answer, or the rollout is still going: retried) and
    EngineError (Kubernetes refused, or the Deployment failed its rollout)."""

    def __init__(self, clusters: Clusters, api_for: ApiFor, *, clock: Clock = utcnow) -> None:
        self._clusters = clusters
        self._api_for = api_for
        self._clock = clock

    def place(self, draft: Container, cluster_id: str, req: ContainerRequest) -> Container:
        """`draft` targeting the cluster (checked to exist); no host capacity is claimed."""
        if req.volumes:
            raise ValidationFailed(
                "Volumes are not available on Kubernetes clusters yet; deploy without volumes or on a host.",
                details={"field": "volumes"},
            )
        if any(p.host is not None for p in req.ports):
            raise ValidationFailed(
                "Containers on a Kubernetes cluster have no host port: leave 'host' out (a Service exposes"
                " them inside the cluster).",
                details={"field": "ports"},
            )
        try:
            self._clusters.get(cluster_id)
        except NotFound as exc:
            raise ValidationFailed(
                f"Cluster {cluster_id} does not exist.", details={"field": "cluster_id"}
            ) from exc
        return replace(draft, cluster_id=cluster_id, host_id=None)

    def converge(self, c: Container) -> list[str]:
        """Apply the record to the cluster and answer the running pods once the Deployment is available."""
        if c.volumes or any(p.host is not None for p in c.ports):
            raise EngineError("Volumes and host ports are not available on Kubernetes clusters.")
        api = self._api(c)
        workload = workload_of(c)
        api.ensure_namespace(workload.namespace, {**MANAGED_BY, LABEL_ORG: c.organization_id})
        api.apply(workload)
        state = api.state(workload.namespace, workload.name)
        if state is not None and state.state == "failed":
            raise EngineError(f"The Deployment did not become available ({state.reason}).")
        if state is None or state.state != "available":
            raise RolloutInProgress("The Deployment did not become available in time.")  # asked again
        return list(state.pods)

    def roll_back(self, c: Container) -> bool:
        """After a failed change: put the previous configuration back (True), or remove a first deployment
        (False: nothing of it is left)."""
        p = c.previous
        api = self._api(c)
        if p is None:
            self.clear(c)
            return False
        kept = replace(c, image=p.image, environment=p.environment, ports=p.ports, replicas=p.replicas)
        api.apply(workload_of(kept, replicas=0 if p.status == "stopped" else p.replicas))
        return True

    def clear(self, c: Container) -> None:
        """Delete the Deployment and Service (nothing to do once the cluster is no longer registered)."""
        workload = workload_of(c)
        try:
            api = self._api(c)
        except Conflict:
            return
        api.delete(workload.namespace, workload.name)

    def act(self, c: Container, action: str) -> None:
        """stop: scale to 0; start: scale to the record's replicas; restart: roll every pod."""
        workload = workload_of(c)
        api = self._api(c)
        try:
            if action == "restart":
                api.restart(workload.namespace, workload.name, self._clock())
            else:
                api.scale(workload.namespace, workload.name, 0 if action == "stop" else c.replicas)
        except EngineContainerMissing as exc:
            raise Gone(Gone.MESSAGE) from exc

    def resize(self, c: Container, resources: Resources) -> None:
        """New requests/limits: the Deployment rolls its pods over to them."""
        self._api(c).apply(workload_of(replace(c, resources=resources)))

    def logs(self, c: Container, tail: int, since: datetime | None) -> list[ReplicaLog]:
        workload = workload_of(c)
        found = self._api(c).logs(workload.namespace, workload.name, tail, since)
        return [ReplicaLog(replica, line) for replica, line in found]

    def _api(self, c: Container) -> KubernetesApi:
        try:
            return self._api_for(self._clusters.get(c.cluster_id or ""))
        except NotFound as exc:
            raise Conflict("The container's Kubernetes cluster is no longer registered.") from exc


class NoClusters(OnClusters):
    """Where no cluster registry is wired (unit tests of Docker hosts): every cluster is unknown."""

    def __init__(self) -> None:
        pass

    def _api(self, c: Container) -> KubernetesApi:
        raise Conflict("No Kubernetes cluster is registered.")

    def place(self, draft: Container, cluster_id: str, req: ContainerRequest) -> Container:
        raise ValidationFailed(f"Cluster {cluster_id} does not exist.", details={"field": "cluster_id"})
