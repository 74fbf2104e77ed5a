"""Containers over HTTP, provisioned by the state machine (moto) on the real Docker Engine."""

from __future__ import annotations

import socket
import time
import urllib.request
from typing import Any

import docker
import pytest

from tests.support.api import Api, User
from tests.support.images import PAGE, STDERR_LINE, STDOUT_LINE

pytestmark = pytest.mark.docker


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def body(image: str, port: int | None, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """The seed's example request, with a locally built image."""
    doc: dict[str, Any] = {
        "name": "my-web-app",
        "image": image,
        "resources": {"cpu": "0.5", "memory": "64Mi", "storage": "1Gi"},
        "environment": {"NODE_ENV": "production"},
        "ports": [{"container": 80, "host": port}] if port else [{"container": 80}],
        "volumes": [{"name": "data", "path": "/data"}],
    }
    doc.update(overrides or {})
    return doc


def get_page(port: int, timeout: float = 10.0) -> str:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:
                return str(response.read().decode())
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def engine_containers(container_id: str) -> list[Any]:
    client = docker.from_env()
    try:
        return list(
            client.containers.list(
                all=True, filters={"label": f"cs.container={container_id}"}, ignore_removed=True
            )
        )
    finally:
        client.close()


def settled_engine(container_id: str, count: int, timeout: float = 15.0) -> list[Any]:
    """The engine containers once exactly `count` remain: a change switches the record to its new replicas
    first and removes the replaced ones just after, as a client polling the record may notice."""
    deadline = time.monotonic() + timeout
    while True:
        found = engine_containers(container_id)
        if len(found) == count or time.monotonic() > deadline:
            return found
        time.sleep(0.2)


def deploy(user: User, image: str, port: int | None = None, **overrides: Any) -> dict[str, Any]:
    reply = user.call("POST", "/api/containers", body(image, port, overrides))
    assert reply.status == 202, reply.body
    assert reply.body["status"] == "provisioning"
    return user.wait_for(reply.body["id"])


def test_a_deployed_container_runs_with_its_limits_and_answers_on_its_port(
    api: Api, default_host: str, test_image: str
) -> None:
    ann = api.user()
    port = free_port()
    record = deploy(ann, test_image, port)
    assert record["status"] == "running", record
    assert record["resources"] == {"cpu": "0.5", "memory": "64Mi", "storage": "1Gi"}
    [engine] = engine_containers(record["id"])
    host_config = engine.attrs["HostConfig"]
    assert host_config["CpuQuota"] == 50_000 and host_config["CpuPeriod"] == 100_000
    assert host_config["Memory"] == 64 * 2**20
    assert "NODE_ENV=production" in engine.attrs["Config"]["Env"]
    assert host_config["PortBindings"]["80/tcp"] == [{"HostIp": "127.0.0.1", "HostPort": str(port)}]
    assert any(m["Name"] == f"cs-{ann.org_id}-data" for m in engine.attrs["Mounts"])
    assert PAGE in get_page(port)


def test_logs_and_metrics_come_from_the_engine(api: Api, default_host: str, test_image: str) -> None:
    ann = api.user()
    record = deploy(ann, test_image)
    logs = ann.call("GET", f"/api/logs/containers/{record['id']}?tail=50")
    assert logs.status == 200
    streams = {(line["stream"], line["message"]) for line in logs.body["lines"]}
    assert ("stdout", STDOUT_LINE) in streams and ("stderr", STDERR_LINE) in streams
    metrics = ann.call("GET", f"/api/metrics/containers/{record['id']}")
    assert metrics.status == 200
    assert metrics.body["memory"]["limit_bytes"] == 64 * 2**20
    assert metrics.body["memory"]["used_bytes"] > 0 and metrics.body["pids"] >= 1


def test_stop_start_restart_change_the_engine(api: Api, default_host: str, test_image: str) -> None:
    ann = api.user()
    record = deploy(ann, test_image)
    cid = record["id"]

    def state() -> str:
        [engine] = engine_containers(cid)
        return str(engine.attrs["State"]["Status"])

    assert ann.call("POST", f"/api/containers/{cid}/stop").body["status"] == "stopped"
    assert state() == "exited"
    assert ann.call("POST", f"/api/containers/{cid}/start").body["status"] == "running"
    assert state() == "running"
    [before] = engine_containers(cid)
    started = before.attrs["State"]["StartedAt"]
    assert ann.call("POST", f"/api/containers/{cid}/restart").status == 200
    [after] = engine_containers(cid)
    assert after.attrs["State"]["StartedAt"] != started and state() == "running"


def test_scale_applies_resources_in_place_and_replicas_through_the_workflow(
    api: Api, default_host: str, test_image: str
) -> None:
    ann = api.user()
    record = deploy(ann, test_image)
    cid = record["id"]
    [engine] = engine_containers(cid)
    resized = ann.call(
        "POST", f"/api/containers/{cid}/scale", {"resources": {"cpu": "0.25", "memory": "96Mi"}}
    )
    assert resized.status == 200 and resized.body["resources"]["memory"] == "96Mi"
    engine.reload()
    assert engine.attrs["HostConfig"]["Memory"] == 96 * 2**20
    assert engine.attrs["HostConfig"]["CpuQuota"] == 25_000
    scaled = ann.call("POST", f"/api/containers/{cid}/scale", {"replicas": 2})
    assert scaled.status == 200 and scaled.body["status"] == "provisioning"
    assert ann.wait_for(cid)["replicas"] == 2
    assert sorted(c.attrs["State"]["Status"] for c in engine_containers(cid)) == ["running", "running"]


def org_networks(org_id: str) -> list[str]:
    """Names of the engine networks of the organization."""
    client = docker.from_env()
    try:
        return [n.name for n in client.networks.list(filters={"label": f"cs.organization={org_id}"})]
    finally:
        client.close()


def test_delete_removes_the_engine_container_and_volume_only_when_asked_and_the_last_one_the_network(
    api: Api, default_host: str, test_image: str
) -> None:
    ann = api.user()
    first, second = deploy(ann, test_image), deploy(ann, test_image, name="second")
    client = docker.from_env()
    try:
        assert ann.call("DELETE", f"/api/containers/{first['id']}").status == 204
        assert engine_containers(first["id"]) == []
        assert client.volumes.list(filters={"name": f"cs-{ann.org_id}-data"})
        assert org_networks(ann.org_id) == [f"cs-net-{ann.org_id}"], "the second container still uses it"
        assert ann.call("GET", f"/api/containers/{first['id']}").status == 404
        assert ann.call("DELETE", f"/api/containers/{second['id']}?purge_volumes=true").status == 204
        assert client.volumes.list(filters={"name": f"cs-{ann.org_id}-data"}) == []
        assert org_networks(ann.org_id) == []
    finally:
        client.close()


def test_a_missing_image_ends_in_error_with_nothing_left_on_the_engine(api: Api, default_host: str) -> None:
    ann = api.user()
    record = deploy(ann, "cs-test-missing:nope")
    assert record["status"] == "error"
    assert "cs-test-missing:nope" in record["status_reason"]
    assert engine_containers(record["id"]) == [] and org_networks(ann.org_id) == []


def test_a_taken_port_ends_in_error_naming_the_port(api: Api, default_host: str, test_image: str) -> None:
    ann = api.user()
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        record = deploy(ann, test_image, port)
    assert record["status"] == "error" and str(port) in record["status_reason"]
    assert engine_containers(record["id"]) == []


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"image": "Not An Image!"}, "image"),
        ({"resources": {"cpu": "0.5", "memory": "lots"}}, "resources.memory"),
        ({"resources": {"cpu": "-1", "memory": "64Mi"}}, "resources.cpu"),
        ({"resources": {"cpu": "0.5", "memory": "1Mi"}}, "resources.memory"),
        ({"colour": "blue"}, "colour"),
        ({"ports": [{"container": 0}]}, "ports.0.container"),
        ({"ports": [{"container": 80, "host": 80}]}, "ports.0.host"),
        ({"environment": {"BAD-NAME": "x"}}, "environment"),
        ({"volumes": [{"name": "data", "path": "relative"}]}, "volumes.0.path"),
        ({"name": ""}, "name"),
    ],
)
def test_invalid_create_bodies_are_400_naming_the_field(
    api: Api, override: dict[str, Any], field: str
) -> None:
    ann = api.user()
    reply = ann.call("POST", "/api/containers", body("busybox:1", None, override))
    assert reply.status == 400, reply.body
    assert reply.body["error"]["details"][0]["field"] == field


def test_more_than_any_host_has_is_409(api: Api, default_host: str, test_image: str) -> None:
    ann = api.user()
    reply = ann.call(
        "POST", "/api/containers", body(test_image, None, {"resources": {"cpu": "64", "memory": "64Mi"}})
    )
    assert reply.status == 409 and reply.body["error"]["code"] == "no_capacity"


def test_every_container_route_is_404_for_another_organization(
    api: Api, default_host: str, test_image: str
) -> None:
    ann, bob = api.user("Ann"), api.user("Bob")
    cid = deploy(ann, test_image)["id"]
    routes = [
        ("GET", f"/api/containers/{cid}", None),
        ("PUT", f"/api/containers/{cid}", {"name": "stolen"}),
        ("DELETE", f"/api/containers/{cid}", None),
        ("POST", f"/api/containers/{cid}/start", None),
        ("POST", f"/api/containers/{cid}/stop", None),
        ("POST", f"/api/containers/{cid}/restart", None),
        ("POST", f"/api/containers/{cid}/scale", {"replicas": 1}),
        ("GET", f"/api/logs/containers/{cid}", None),
        ("GET", f"/api/metrics/containers/{cid}", None),
    ]
    for method, path, payload in routes:
        reply = bob.call(method, path, payload)
        assert reply.status == 404, (method, path, reply.body)
    assert bob.call("GET", "/api/containers").body["containers"] == []
    assert ann.call("GET", f"/api/containers/{cid}").body["name"] == "my-web-app"
    assert len(engine_containers(cid)) == 1


def test_the_list_is_paginated(api: Api, default_host: str) -> None:
    ann = api.user()
    for i in range(3):
        created = ann.call("POST", "/api/containers", body("cs-test-missing:x", None, {"name": f"c{i}"}))
        assert created.status == 202
    first = ann.call("GET", "/api/containers?limit=2")
    assert len(first.body["containers"]) == 2 and first.body["next_cursor"]
    second = ann.call("GET", f"/api/containers?limit=2&cursor={first.body['next_cursor']}")
    names = [c["name"] for c in first.body["containers"] + second.body["containers"]]
    assert names == ["c2", "c1", "c0"]  # newest first, each exactly once
    bad = ann.call("GET", "/api/containers?cursor=nonsense")
    assert bad.status == 400
