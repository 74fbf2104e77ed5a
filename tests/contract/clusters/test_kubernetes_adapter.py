"""The Kubernetes adapter against the sandbox stub: what it sends reads as the client's own models (and the
stub accepts it), and what it makes of the answers (rollout state, pods, logs, errors)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from chalicelib.adapters.kubernetes.cluster import KubernetesCluster, connect_kubernetes, parse_log
from chalicelib.domain.clusters.entities import ClusterCredentials
from chalicelib.domain.clusters.kube import Workload, WorkloadPort
from chalicelib.domain.shared.errors import EngineContainerMissing, EngineError, EngineUnavailable
from devstack.k8s_http import KubeServer
from devstack.k8s_objects import merge_patch
from devstack.k8s_stub import SANDBOX_TOKEN, KubeStub
from devstack.net import LOOPBACK
from tests.support.k8s import as_model, unknown_keys

NS = "cs-org-a"
# (method, path) of each request body the adapter sends -> the client's model of that body
SENT_MODELS = [
    ("POST", r"/api/v1/namespaces$", "V1Namespace"),
    ("POST", r"/networkpolicies$", "V1NetworkPolicy"),
    ("POST", r"/deployments$", "V1Deployment"),
    ("PUT", r"/deployments/[^/]+$", "V1Deployment"),
    ("PUT", r"/deployments/[^/]+/scale$", "V1Scale"),
    ("PATCH", r"/deployments/[^/]+$", "V1Deployment"),
    ("POST", r"/services$", "V1Service"),
    ("PUT", r"/services/[^/]+$", "V1Service"),
]


def workload(
    replicas: int = 2, image: str = "web:1", ports: tuple[WorkloadPort, ...] = (WorkloadPort(80),)
) -> Workload:
    return Workload(
        namespace=NS,
        name="cs-01hzzzzzzzzzzzzzzzzzzzzzzz",
        image=image,
        cpu_millis=250,
        memory_bytes=64 * 2**20,
        replicas=replicas,
        environment={"GREETING": "hello"},
        ports=ports,
        labels={"app.kubernetes.io/managed-by": "containerstacks"},
    )


@pytest.fixture
def cluster(k8s_server: KubeServer, k8s_stub: KubeStub) -> KubernetesCluster:
    return connect_kubernetes(ClusterCredentials(k8s_server.url, None, SANDBOX_TOKEN))


def _model_of(method: str, path: str) -> str | None:
    return next((m for verb, pattern, m in SENT_MODELS if verb == method and re.search(pattern, path)), None)


def test_a_whole_lifecycle_sends_only_objects_the_clients_models_read(
    cluster: KubernetesCluster, k8s_stub: KubeStub
) -> None:
    # When the adapter deploys, redeploys, scales, restarts, reads logs and deletes
    w = workload()
    cluster.ensure_namespace(NS, {"containerstacks.io/organization": "org-a"})
    cluster.ensure_namespace(NS, {"containerstacks.io/organization": "org-a"})  # again: already there
    cluster.apply(w)
    cluster.apply(
        Workload(**{**w.__dict__, "image": "web:2", "ports": (WorkloadPort(80), WorkloadPort(53, "udp"))})
    )
    cluster.scale(NS, w.name, 3)
    cluster.restart(NS, w.name, datetime.now(UTC))
    cluster.logs(NS, w.name, 10, None)
    cluster.delete(NS, w.name)
    # Then every body it sent reads completely as the model of its endpoint
    sent = [r for r in k8s_stub.requests if r["body"] is not None]
    assert {r["method"] for r in sent} >= {"POST", "PUT", "PATCH"}
    last: dict[str, Any] = {}
    for request in sent:
        model = _model_of(request["method"], request["path"])
        assert model is not None, request["path"]
        body = request["body"]
        if request["method"] == "PATCH":  # a patch is a partial object: read it applied to the object
            body = merge_patch(last[model], body)
        as_model(body, model)
        assert unknown_keys(body, model) == [], request["path"]
        last[model] = body
    # And the stub refused nothing but creates of what already existed and reads of what did not yet
    refused = {(r["method"], r["status"]) for r in k8s_stub.requests if r["status"] >= 400}
    assert refused <= {("POST", 409), ("GET", 404)}, refused


def test_the_namespace_denies_ingress_from_other_namespaces(
    cluster: KubernetesCluster, k8s_stub: KubeStub
) -> None:
    # When an organization's namespace is ensured
    cluster.ensure_namespace(NS, {})
    # Then its policy selects every pod and admits traffic only from pods of the same namespace
    policy = as_model(k8s_stub.list_of("networkpolicies", NS, None)["items"][0], "V1NetworkPolicy")
    assert policy.spec.pod_selector.match_labels is None and policy.spec.policy_types == ["Ingress"]
    peers = policy.spec.ingress[0]._from
    assert len(peers) == 1 and peers[0].namespace_selector is None and peers[0].pod_selector is not None


def test_the_deployment_carries_requests_limits_replicas_and_a_service(
    cluster: KubernetesCluster, k8s_stub: KubeStub
) -> None:
    cluster.ensure_namespace(NS, {})
    cluster.apply(workload(replicas=2))
    d = as_model(k8s_stub.get("deployments", NS, workload().name), "V1Deployment")
    main = d.spec.template.spec.containers[0]
    assert d.spec.replicas == 2
    assert main.resources.requests == main.resources.limits == {"cpu": "250m", "memory": str(64 * 2**20)}
    assert [(e.name, e.value) for e in main.env] == [("GREETING", "hello")]
    svc = as_model(k8s_stub.get("services", NS, workload().name), "V1Service")
    assert [(p.port, p.protocol) for p in svc.spec.ports] == [(80, "TCP")]
    assert svc.spec.selector == d.spec.selector.match_labels


def test_state_is_available_with_a_pod_per_replica_then_follows_the_scale(cluster: KubernetesCluster) -> None:
    cluster.ensure_namespace(NS, {})
    cluster.apply(workload(replicas=2))
    state = cluster.state(NS, workload().name)
    assert state is not None and state.state == "available" and len(state.pods) == 2
    cluster.scale(NS, workload().name, 0)
    stopped = cluster.state(NS, workload().name)
    assert stopped is not None and stopped.state == "available" and stopped.pods == ()


def test_state_is_progressing_while_pods_start_and_failed_when_the_image_cannot_be_pulled(
    cluster: KubernetesCluster, k8s_stub: KubeStub
) -> None:
    cluster.ensure_namespace(NS, {})
    k8s_stub.rollout_seconds = 60
    cluster.apply(workload())
    state = cluster.state(NS, workload().name)
    assert state is not None and state.state == "progressing"
    k8s_stub.rollout_seconds = 0
    k8s_stub.missing_images.add("ghost:1")
    cluster.apply(workload(image="ghost:1"))
    failed = cluster.state(NS, workload().name)
    assert failed is not None and failed.state == "failed"
    assert failed.reason is not None and "ProgressDeadlineExceeded" in failed.reason


def test_logs_come_per_replica_with_their_timestamps_and_since_filters(
    cluster: KubernetesCluster, k8s_stub: KubeStub
) -> None:
    cluster.ensure_namespace(NS, {})
    cluster.apply(workload(replicas=2))
    state = cluster.state(NS, workload().name)
    assert state is not None
    k8s_stub.log_line(NS, state.pods[1], "second replica says hi")
    lines = cluster.logs(NS, workload().name, 100, None)
    assert (1, "second replica says hi") in [(r, line.message) for r, line in lines]
    assert cluster.logs(NS, workload().name, 100, datetime.now(UTC) + timedelta(seconds=5)) == []


def test_a_missing_deployment_is_none_or_missing_and_delete_is_quiet(cluster: KubernetesCluster) -> None:
    cluster.ensure_namespace(NS, {})
    assert cluster.state(NS, "nothing") is None
    with pytest.raises(EngineContainerMissing):
        cluster.scale(NS, "nothing", 1)
    cluster.delete(NS, "nothing")


def test_a_wrong_token_is_refused_and_a_silent_endpoint_is_unavailable(k8s_server: KubeServer) -> None:
    with pytest.raises(EngineError, match="Unauthorized"):
        connect_kubernetes(ClusterCredentials(k8s_server.url, None, "wrong")).version()
    with pytest.raises(EngineUnavailable):
        connect_kubernetes(ClusterCredentials(f"http://{LOOPBACK}:9", None, "x")).version()


def test_log_timestamps_keep_microseconds_and_skip_lines_without_one() -> None:
    lines = parse_log("2026-01-02T03:04:05.123456789Z hello world\nnot a log line\n")
    assert [(line.timestamp, line.message) for line in lines] == [
        (datetime(2026, 1, 2, 3, 4, 5, 123456, tzinfo=UTC), "hello world")
    ]


def test_the_ca_is_handed_to_the_client_as_a_file_removed_with_the_client(k8s_server: KubeServer) -> None:
    import gc
    from pathlib import Path

    pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"
    cluster = connect_kubernetes(ClusterCredentials("https://127.0.0.1:9", pem, "token"))
    path = Path(cluster.client.configuration.ssl_ca_cert)
    assert path.read_text() == pem
    del cluster
    gc.collect()
    assert not path.exists()
