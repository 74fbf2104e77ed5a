"""Kubernetes objects for a Workload, built with the official client's models (imported lazily)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from chalicelib.domain.clusters.kube import Workload

MANAGED_BY = "app.kubernetes.io/managed-by"
WORKLOAD = "containerstacks.io/workload"
POLICY_NAME = "cs-isolate-organization"
PROTOCOLS = {"tcp": "TCP", "udp": "UDP"}


def metadata(name: str, namespace: str | None, labels: Mapping[str, str]) -> Any:
    from kubernetes import client

    return client.V1ObjectMeta(name=name, namespace=namespace, labels=dict(labels))


def namespace(name: str, labels: Mapping[str, str]) -> Any:
    from kubernetes import client

    return client.V1Namespace(api_version="v1", kind="Namespace", metadata=metadata(name, None, labels))


def isolation_policy(ns: str, labels: Mapping[str, str]) -> Any:
    """Default deny between organizations: every pod of the namespace takes ingress from pods of the same
    namespace only (other namespaces, other tenants, are denied)."""
    from kubernetes import client

    return client.V1NetworkPolicy(
        api_version="networking.k8s.io/v1",
        kind="NetworkPolicy",
        metadata=metadata(POLICY_NAME, ns, labels),
        spec=client.V1NetworkPolicySpec(
            pod_selector=client.V1LabelSelector(),
            policy_types=["Ingress"],
            ingress=[
                client.V1NetworkPolicyIngressRule(
                    _from=[client.V1NetworkPolicyPeer(pod_selector=client.V1LabelSelector())]
                )
            ],
        ),
    )


def _labels(w: Workload) -> dict[str, str]:
    return {**w.labels, WORKLOAD: w.name}


def deployment(w: Workload) -> Any:
    from kubernetes import client

    quantities = {"cpu": f"{w.cpu_millis}m", "memory": str(w.memory_bytes)}
    container = client.V1Container(
        name="main",
        image=w.image,
        env=[client.V1EnvVar(name=k, value=v) for k, v in sorted(w.environment.items())] or None,
        ports=[client.V1ContainerPort(container_port=p.port, protocol=PROTOCOLS[p.protocol]) for p in w.ports]
        or None,
        resources=client.V1ResourceRequirements(requests=dict(quantities), limits=dict(quantities)),
    )
    return client.V1Deployment(
        api_version="apps/v1",
        kind="Deployment",
        metadata=metadata(w.name, w.namespace, _labels(w)),
        spec=client.V1DeploymentSpec(
            replicas=w.replicas,
            selector=client.V1LabelSelector(match_labels={WORKLOAD: w.name}),
            template=client.V1PodTemplateSpec(
                metadata=client.V1ObjectMeta(labels=_labels(w)),
                spec=client.V1PodSpec(containers=[container], automount_service_account_token=False),
            ),
        ),
    )


def service(w: Workload, cluster_ip: str | None = None, resource_version: str | None = None) -> Any:
    """A ClusterIP Service in front of the pods (its clusterIP and resourceVersion kept on replace)."""
    from kubernetes import client

    meta = metadata(w.name, w.namespace, _labels(w))
    meta.resource_version = resource_version
    return client.V1Service(
        api_version="v1",
        kind="Service",
        metadata=meta,
        spec=client.V1ServiceSpec(
            type="ClusterIP",
            cluster_ip=cluster_ip,
            selector={WORKLOAD: w.name},
            ports=[
                client.V1ServicePort(
                    name=f"{p.protocol}-{p.port}",
                    port=p.port,
                    target_port=p.port,
                    protocol=PROTOCOLS[p.protocol],
                )
                for p in w.ports
            ],
        ),
    )


def scale(name: str, ns: str, replicas: int) -> Any:
    from kubernetes import client

    return client.V1Scale(
        api_version="autoscaling/v1",
        kind="Scale",
        metadata=client.V1ObjectMeta(name=name, namespace=ns),
        spec=client.V1ScaleSpec(replicas=replicas),
    )
