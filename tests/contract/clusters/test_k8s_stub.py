"""The Kubernetes sandbox stub answers in Kubernetes' shapes: every answer is read by the official client's
own models (required fields present, no key the model does not know), and errors are metav1.Status objects
with Kubernetes' reasons and codes."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

import pytest

from devstack.k8s_http import KubeServer
from devstack.k8s_stub import SANDBOX_TOKEN, KubeStub
from tests.support.k8s import as_model, unknown_keys

NS = "cs-tenant-a"
APPS = f"/apis/apps/v1/namespaces/{NS}/deployments"
SERVICES = f"/api/v1/namespaces/{NS}/services"
POLICIES = f"/apis/networking.k8s.io/v1/namespaces/{NS}/networkpolicies"


def call(
    server: KubeServer,
    method: str,
    path: str,
    body: Any = None,
    *,
    token: str | None = SANDBOX_TOKEN,
    content_type: str = "application/json",
) -> tuple[int, Any]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(server.url + path, data=data, method=method)  # noqa: S310 - loopback
    request.add_header("Content-Type", content_type)
    if token is not None:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=5) as answer:  # noqa: S310 - loopback
            raw, status = answer.read().decode(), answer.status
    except urllib.error.HTTPError as exc:
        raw, status = exc.read().decode(), exc.code
    try:
        return status, json.loads(raw)
    except ValueError:
        return status, raw


def read(body: Any, model: str) -> Any:
    """The client's model of `body`, asserting it knows every key."""
    parsed = as_model(body, model)
    assert unknown_keys(body, model) == []
    return parsed


def deployment(name: str = "web", image: str = "web:1", replicas: int = 2) -> dict[str, Any]:
    labels = {"containerstacks.io/workload": name}
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": name, "labels": labels},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": labels},
            "template": {
                "metadata": {"labels": labels},
                "spec": {
                    "containers": [
                        {
                            "name": "main",
                            "image": image,
                            "ports": [{"containerPort": 80, "protocol": "TCP"}],
                            "resources": {"limits": {"cpu": "250m", "memory": "67108864"}},
                        }
                    ]
                },
            },
        },
    }


def service(name: str = "web") -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": name},
        "spec": {
            "selector": {"containerstacks.io/workload": name},
            "ports": [{"port": 80, "targetPort": 80}],
        },
    }


@pytest.fixture
def server(k8s_server: KubeServer, k8s_stub: KubeStub) -> KubeServer:
    status, _ = call(
        k8s_server,
        "POST",
        "/api/v1/namespaces",
        {
            "apiVersion": "v1",
            "kind": "Namespace",
            "metadata": {"name": NS},
        },
    )
    assert status == 201
    return k8s_server


def test_every_answer_reads_as_the_clients_models(server: KubeServer) -> None:
    # Given a namespace with a policy, a Deployment of two replicas and a Service
    policy = {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "NetworkPolicy",
        "metadata": {"name": "isolate"},
        "spec": {"podSelector": {}, "ingress": [{"from": [{"podSelector": {}}]}], "policyTypes": ["Ingress"]},
    }
    answers = [
        (call(server, "GET", "/version"), "VersionInfo"),
        (call(server, "GET", f"/api/v1/namespaces/{NS}"), "V1Namespace"),
        (call(server, "GET", "/api/v1/namespaces"), "V1NamespaceList"),
        (call(server, "POST", POLICIES, policy), "V1NetworkPolicy"),
        (call(server, "GET", POLICIES), "V1NetworkPolicyList"),
        (call(server, "POST", APPS, deployment()), "V1Deployment"),
        (call(server, "GET", f"{APPS}/web"), "V1Deployment"),
        (call(server, "GET", APPS), "V1DeploymentList"),
        (call(server, "GET", f"{APPS}/web/scale"), "V1Scale"),
        (call(server, "POST", SERVICES, service()), "V1Service"),
        (call(server, "GET", SERVICES), "V1ServiceList"),
        (
            call(
                server, "GET", f"/api/v1/namespaces/{NS}/pods?labelSelector=containerstacks.io/workload%3Dweb"
            ),
            "V1PodList",
        ),
    ]
    # When each is read by the client's models
    for (status, body), model in answers:
        # Then every one is a success the model reads completely
        assert status in (200, 201), (model, body)
        read(body, model)
    pods = as_model(answers[-1][0][1], "V1PodList").items
    assert len(pods) == 2 and all(p.status.phase == "Running" for p in pods)
    status, pod = call(server, "GET", f"/api/v1/namespaces/{NS}/pods/{pods[0].metadata.name}")
    assert read(pod, "V1Pod").status.container_statuses[0].ready is True
    d = read(call(server, "GET", f"{APPS}/web")[1], "V1Deployment")
    assert d.status.ready_replicas == 2
    assert {c.type: c.status for c in d.status.conditions} == {"Available": "True", "Progressing": "True"}
    assert read(call(server, "DELETE", f"{SERVICES}/web")[1], "V1Service").metadata.name == "web"
    assert read(call(server, "DELETE", f"{APPS}/web")[1], "V1Status").status == "Success"
    assert read(call(server, "DELETE", f"/api/v1/namespaces/{NS}")[1], "V1Status").status == "Success"


def test_the_scale_subresource_sets_replicas_and_the_pods_follow(server: KubeServer) -> None:
    # Given a Deployment of two replicas
    call(server, "POST", APPS, deployment(replicas=2))
    scale = call(server, "GET", f"{APPS}/web/scale")[1]
    # When its scale is set to 3
    scale["spec"]["replicas"] = 3
    status, answer = call(server, "PUT", f"{APPS}/web/scale", scale)
    # Then the Scale says so and three pods run
    assert status == 200 and read(answer, "V1Scale").spec.replicas == 3
    pods = call(server, "GET", f"/api/v1/namespaces/{NS}/pods")[1]["items"]
    assert len(pods) == 3
    # And a stale resourceVersion is a Conflict
    status, error = call(server, "PUT", f"{APPS}/web/scale", scale)
    assert status == 409 and read(error, "V1Status").reason == "Conflict"


def test_pod_logs_are_text_with_rfc3339_timestamps_and_tail(server: KubeServer, k8s_stub: KubeStub) -> None:
    # Given a pod that printed two more lines
    call(server, "POST", APPS, deployment(replicas=1))
    pod = call(server, "GET", f"/api/v1/namespaces/{NS}/pods")[1]["items"][0]["metadata"]["name"]
    k8s_stub.log_line(NS, pod, "one")
    k8s_stub.log_line(NS, pod, "two")
    # When the last two lines are read with timestamps
    status, text = call(server, "GET", f"/api/v1/namespaces/{NS}/pods/{pod}/log?tailLines=2&timestamps=True")
    # Then they are the pod's last two lines, each after its timestamp
    assert status == 200
    lines = text.splitlines()
    assert [line.split(" ", 1)[1] for line in lines] == ["one", "two"]
    assert all(line[:30].endswith("Z") and line[19] == "." for line in lines)


@pytest.mark.parametrize(
    ("method", "path", "body", "code", "reason"),
    [
        ("GET", f"{APPS}/nothing", None, 404, "NotFound"),
        ("GET", f"/api/v1/namespaces/{NS}/pods/nothing/log", None, 404, "NotFound"),
        ("POST", "/apis/apps/v1/namespaces/elsewhere/deployments", deployment(), 404, "NotFound"),
        (
            "POST",
            "/api/v1/namespaces",
            {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": NS}},
            409,
            "AlreadyExists",
        ),
        ("POST", APPS, {**deployment(), "kind": "Pod"}, 400, "BadRequest"),
        (
            "PUT",
            f"{APPS}/nothing/scale",
            {
                "apiVersion": "autoscaling/v1",
                "kind": "Scale",
                "metadata": {"name": "nothing"},
                "spec": {"replicas": 1},
            },
            404,
            "NotFound",
        ),
        (
            "POST",
            f"/api/v1/namespaces/{NS}/pods",
            {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}},
            405,
            "MethodNotAllowed",
        ),
        ("GET", "/apis/batch/v1/jobs", None, 404, "NotFound"),
    ],
)
def test_errors_are_status_objects_with_kubernetes_reasons(
    server: KubeServer, method: str, path: str, body: Any, code: int, reason: str
) -> None:
    # When a request is refused
    status, answer = call(server, method, path, body)
    # Then the answer is a Status with the reason and code Kubernetes uses
    assert status == code
    parsed = read(answer, "V1Status")
    assert (parsed.kind, parsed.status, parsed.reason, parsed.code) == ("Status", "Failure", reason, code)


def test_a_second_create_is_already_exists_naming_the_object(server: KubeServer) -> None:
    call(server, "POST", APPS, deployment())
    status, answer = call(server, "POST", APPS, deployment())
    assert status == 409
    details = read(answer, "V1Status").details
    assert (details.name, details.group, details.kind) == ("web", "apps", "deployments")
    assert answer["message"] == 'deployments.apps "web" already exists'


def test_invalid_objects_are_refused_with_the_field_that_is_wrong(server: KubeServer) -> None:
    # Given a Deployment without an image, and one whose selector does not match its template
    no_image = deployment()
    del no_image["spec"]["template"]["spec"]["containers"][0]["image"]
    mismatched = deployment()
    mismatched["spec"]["selector"]["matchLabels"] = {"other": "x"}
    for body, field in [
        (no_image, "spec.template.spec.containers[0].image"),
        (mismatched, "spec.template.metadata.labels"),
    ]:
        # When it is created
        status, answer = call(server, "POST", APPS, body)
        # Then it is 422 Invalid naming the field
        assert status == 422
        parsed = read(answer, "V1Status")
        assert parsed.reason == "Invalid" and [c.field for c in parsed.details.causes] == [field]


def test_a_service_update_needs_its_resource_version_and_keeps_its_cluster_ip(server: KubeServer) -> None:
    created = call(server, "POST", SERVICES, service())[1]
    stale = service()
    status, answer = call(server, "PUT", f"{SERVICES}/web", stale)
    assert status == 422 and answer["details"]["causes"][0]["field"] == "metadata.resourceVersion"
    moved = service()
    moved["metadata"]["resourceVersion"] = created["metadata"]["resourceVersion"]
    moved["spec"]["clusterIP"] = "10.96.9.9"
    status, answer = call(server, "PUT", f"{SERVICES}/web", moved)
    assert status == 422 and answer["details"]["causes"][0]["field"] == "spec.clusterIP"


def test_a_wrong_token_is_unauthorized_and_only_version_is_anonymous(server: KubeServer) -> None:
    assert call(server, "GET", "/version", token=None)[0] == 200
    status, answer = call(server, "GET", APPS, token=None)
    assert status == 401 and read(answer, "V1Status").reason == "Unauthorized"
    assert call(server, "GET", "/version", token="wrong")[0] == 401


def test_a_json_patch_is_an_unsupported_media_type(server: KubeServer) -> None:
    call(server, "POST", APPS, deployment())
    status, answer = call(
        server,
        "PATCH",
        f"{APPS}/web",
        [{"op": "replace", "path": "/spec/replicas", "value": 1}],
        content_type="application/json-patch+json",
    )
    assert status == 415 and read(answer, "V1Status").reason == "UnsupportedMediaType"


def test_a_missing_image_leaves_the_deployment_failing_its_progress_deadline(
    server: KubeServer, k8s_stub: KubeStub
) -> None:
    k8s_stub.missing_images.add("ghost:1")
    call(server, "POST", APPS, deployment(image="ghost:1", replicas=1))
    d = read(call(server, "GET", f"{APPS}/web")[1], "V1Deployment")
    progressing = next(c for c in d.status.conditions if c.type == "Progressing")
    assert (progressing.status, progressing.reason) == ("False", "ProgressDeadlineExceeded")
    pod = read(call(server, "GET", f"/api/v1/namespaces/{NS}/pods")[1], "V1PodList").items[0]
    assert pod.status.phase == "Pending"
    assert pod.status.container_statuses[0].state.waiting.reason == "ImagePullBackOff"


def test_the_shape_check_catches_a_key_the_model_does_not_know_and_a_missing_required_one() -> None:
    assert unknown_keys({"kind": "Status", "metadata": {"nmae": "x"}, "extra": 1}, "V1Status") == [
        "$.metadata.nmae",
        "$.extra",
    ]
    with pytest.raises(ValueError):  # V1Container requires a name
        as_model({"spec": {"containers": [{"image": "web:1"}]}}, "V1PodTemplateSpec")
