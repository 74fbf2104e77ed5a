"""Kubernetes clusters over HTTP: the admin registry, and a container deployed to the sandbox API server
through the provisioning state machine (moto), scaled, stopped, logged and deleted."""

from __future__ import annotations

from typing import Any

import pytest

from devstack.k8s_http import KubeServer
from devstack.k8s_stub import SANDBOX_TOKEN, KubeStub
from tests.support.api import Api, User
from tests.support.k8s import as_model


@pytest.fixture
def sandbox(k8s_server: KubeServer, k8s_stub: KubeStub) -> KubeServer:
    return k8s_server


def register(admin: User, server: KubeServer, name: str = "sandbox") -> dict[str, Any]:
    reply = admin.call(
        "POST", "/api/admin/clusters", {"name": name, "endpoint": server.url, "token": SANDBOX_TOKEN}
    )
    assert reply.status == 201, reply.body
    return dict(reply.body)


def deploy(user: User, cluster_id: str, **overrides: Any) -> dict[str, Any]:
    body = {
        "name": "web",
        "image": "web:1",
        "resources": {"cpu": "0.25", "memory": "64Mi"},
        "environment": {"GREETING": "hello"},
        "ports": [{"container": 80}],
        "cluster_id": cluster_id,
        **overrides,
    }
    reply = user.call("POST", "/api/containers", body)
    assert reply.status == 202, reply.body
    return dict(reply.body)


def test_an_admin_registers_a_cluster_whose_token_is_never_returned(api: Api, sandbox: KubeServer) -> None:
    # Given an admin and a customer
    admin, ann = api.admin(), api.user("Ann")
    # When the admin registers the sandbox cluster
    cluster = register(admin, sandbox)
    # Then it is listed for admins without its token, and customers may choose it by name
    assert SANDBOX_TOKEN not in str(cluster)
    assert set(cluster) == {"id", "name", "endpoint", "ca_cert", "created_at", "updated_at"}
    assert admin.call("GET", "/api/admin/clusters").body["clusters"] == [cluster]
    assert admin.call("GET", f"/api/admin/clusters/{cluster['id']}").body == cluster
    assert ann.call("GET", "/api/clusters").body == {"clusters": [{"id": cluster["id"], "name": "sandbox"}]}
    # And the audit trail says who registered it, without the token
    audit = admin.call("GET", "/api/admin/audit?limit=100&action=cluster.registered")
    assert audit.status == 200, audit.body
    [entry] = audit.body["entries"]
    assert entry["target_id"] == cluster["id"] and entry["after"] == {
        "name": "sandbox",
        "endpoint": sandbox.url,
    }
    assert SANDBOX_TOKEN not in str(entry)
    # And customers cannot manage clusters
    assert ann.call("GET", "/api/admin/clusters").status == 403
    refused = ann.call("POST", "/api/admin/clusters", {"name": "x", "endpoint": sandbox.url, "token": "t"})
    assert refused.status == 403


def test_a_token_the_cluster_refuses_is_not_registered(api: Api, sandbox: KubeServer) -> None:
    admin = api.admin()
    reply = admin.call(
        "POST", "/api/admin/clusters", {"name": "x", "endpoint": sandbox.url, "token": "wrong"}
    )
    assert reply.status == 400
    assert reply.body["error"]["details"][0]["field"] == "token"
    assert admin.call("GET", "/api/admin/clusters").body["clusters"] == []


def test_renaming_and_rotating_the_token(api: Api, sandbox: KubeServer, k8s_stub: KubeStub) -> None:
    admin = api.admin()
    cluster = register(admin, sandbox)
    k8s_stub.tokens.add("rotated-token")
    reply = admin.call(
        "PUT", f"/api/admin/clusters/{cluster['id']}", {"name": "prod", "token": "rotated-token"}
    )
    assert reply.status == 200 and reply.body["name"] == "prod"
    assert admin.call("PUT", f"/api/admin/clusters/{cluster['id']}", {"token": "stale"}).status == 400
    assert (
        admin.call("PUT", "/api/admin/clusters/00000000-0000-4000-8000-000000000000", {"name": "x"}).status
        == 404
    )


def test_a_container_runs_on_the_cluster_scales_logs_stops_and_is_deleted(
    api: Api, sandbox: KubeServer, k8s_stub: KubeStub
) -> None:
    # Given a registered cluster and a customer
    admin, ann = api.admin(), api.user("Ann")
    cluster = register(admin, sandbox)
    # When the customer deploys a container to it
    created = deploy(ann, cluster["id"])
    running = ann.wait_for(created["id"])
    # Then it runs there: a Deployment and a Service in the organization's namespace, behind its policy
    assert running["status"] == "running" and running["cluster_id"] == cluster["id"]
    namespace = f"cs-{api.org_ids[-1].lower()}"
    name = f"cs-{created['id'].lower()}"
    d = as_model(k8s_stub.get("deployments", namespace, name), "V1Deployment")
    assert d.spec.replicas == 1 and d.spec.template.spec.containers[0].resources.limits["cpu"] == "250m"
    assert as_model(k8s_stub.get("services", namespace, name), "V1Service").spec.ports[0].port == 80
    assert [p["metadata"]["name"] for p in k8s_stub.list_of("networkpolicies", namespace, None)["items"]] == [
        "cs-isolate-organization"
    ]
    # When it is scaled to three replicas
    assert ann.call("POST", f"/api/containers/{created['id']}/scale", {"replicas": 3}).status in (200, 202)
    scaled = ann.wait_for(created["id"])
    # Then the Deployment runs three pods and the logs come from each
    assert (
        scaled["replicas"] == 3
        and as_model(k8s_stub.get("deployments", namespace, name), "V1Deployment").status.ready_replicas == 3
    )
    logs = ann.call("GET", f"/api/logs/containers/{created['id']}").body["lines"]
    assert sorted({line["replica"] for line in logs}) == [0, 1, 2]
    # When it is stopped, Then no pod runs; started again, three do
    assert ann.call("POST", f"/api/containers/{created['id']}/stop").body["status"] == "stopped"
    assert k8s_stub.get_scale(namespace, name)["spec"]["replicas"] == 0
    assert ann.call("POST", f"/api/containers/{created['id']}/start").body["status"] == "running"
    assert k8s_stub.get_scale(namespace, name)["spec"]["replicas"] == 3
    # And the cluster cannot be removed while the container is on it
    assert admin.call("DELETE", f"/api/admin/clusters/{cluster['id']}").status == 409
    # When the container is deleted, Then its Deployment and Service are gone and the cluster can go
    assert ann.call("DELETE", f"/api/containers/{created['id']}").status == 204
    assert k8s_stub.list_of("deployments", namespace, None)["items"] == []
    assert k8s_stub.list_of("services", namespace, None)["items"] == []
    assert admin.call("DELETE", f"/api/admin/clusters/{cluster['id']}").status == 204


def test_a_rollout_that_takes_a_while_is_waited_for(
    api: Api, sandbox: KubeServer, k8s_stub: KubeStub
) -> None:
    # Given a cluster whose pods take a few seconds to start
    admin, ann = api.admin(), api.user("Ann")
    cluster = register(admin, sandbox)
    k8s_stub.rollout_seconds = 3
    # When a container is deployed to it, Then the workflow waits for the rollout and the container runs
    created = deploy(ann, cluster["id"])
    assert ann.wait_for(created["id"])["status"] == "running"


def test_an_image_the_cluster_cannot_pull_ends_in_error_with_the_reason(
    api: Api, sandbox: KubeServer, k8s_stub: KubeStub
) -> None:
    admin, ann = api.admin(), api.user("Ann")
    cluster = register(admin, sandbox)
    k8s_stub.missing_images.add("ghost:1")
    created = deploy(ann, cluster["id"], image="ghost:1")
    failed = ann.wait_for(created["id"])
    assert failed["status"] == "error" and "ProgressDeadlineExceeded" in failed["status_reason"]
    assert k8s_stub.list_of("deployments", None, None)["items"] == []


def test_an_unknown_cluster_or_volumes_are_refused(api: Api, sandbox: KubeServer) -> None:
    admin, ann = api.admin(), api.user("Ann")
    cluster = register(admin, sandbox)
    unknown = ann.call(
        "POST",
        "/api/containers",
        {
            "name": "web",
            "image": "web:1",
            "resources": {"cpu": "0.25", "memory": "64Mi"},
            "cluster_id": "00000000-0000-4000-8000-000000000000",
        },
    )
    assert unknown.status == 400 and unknown.body["error"]["details"][0]["field"] == "cluster_id"
    volumes = ann.call(
        "POST",
        "/api/containers",
        {
            "name": "web",
            "image": "web:1",
            "resources": {"cpu": "0.25", "memory": "64Mi"},
            "volumes": [{"name": "data", "path": "/data"}],
            "cluster_id": cluster["id"],
        },
    )
    assert volumes.status == 400 and volumes.body["error"]["details"][0]["field"] == "volumes"
