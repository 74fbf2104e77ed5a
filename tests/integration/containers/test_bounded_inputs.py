"""Inputs the API bounds: log times, cursors, volumes and environment size; purging a shared volume."""

from __future__ import annotations

import base64
import json

import docker
import pytest

from tests.integration.containers.test_api import body, deploy, engine_containers
from tests.support.api import Api

pytestmark = pytest.mark.docker


def test_negative_seconds_or_not_a_time_is_400_naming_since_and_a_time_before_1970_means_all(
    api: Api, default_host: str, test_image: str
) -> None:
    ann = api.user()
    cid = deploy(ann, test_image)["id"]
    for since in ("-1", "-0.5", "yesterday"):
        reply = ann.call("GET", f"/api/logs/containers/{cid}?since={since}")
        assert reply.status == 400, (since, reply.body)
        assert [d["field"] for d in reply.body["error"]["details"]] == ["since"]
    assert ann.call("GET", f"/api/logs/containers/{cid}?since=0").status == 200, "1970 itself means all"
    for before in ("1969-12-31T23:59:59Z", "0403-05-25T07:12:03-14:39"):
        reply = ann.call("GET", f"/api/logs/containers/{cid}?since={before}")
        assert reply.status == 200, (before, reply.body)


def test_a_cursor_crafted_for_another_organization_is_400(api: Api) -> None:
    ann, bob = api.user("Ann"), api.user("Bob")
    key = {"pk": {"S": f"ORG#{bob.org_id}"}, "sk": {"S": "CONTAINER#01M8CQ3B77WPR13BQ5X2X6NFMZ"}}
    crafted = base64.urlsafe_b64encode(json.dumps(key).encode()).decode().rstrip("=")
    reply = ann.call("GET", f"/api/containers?cursor={crafted}")
    assert reply.status == 400 and reply.body["error"]["details"][0]["field"] == "cursor"


def test_the_same_volume_mounted_twice_is_400(api: Api, default_host: str) -> None:
    ann = api.user()
    twice = [{"name": "data", "path": "/data"}, {"name": "data", "path": "/more"}]
    reply = ann.call("POST", "/api/containers", body("busybox:1", None, {"volumes": twice}))
    assert reply.status == 400 and reply.body["error"]["details"][0]["field"] == "volumes"
    assert ann.call("GET", "/api/containers").body["containers"] == []


def test_450_kb_of_environment_is_400_naming_environment(api: Api, default_host: str) -> None:
    ann = api.user()
    environment = {f"VAR_{i}": "x" * 30_000 for i in range(15)}
    reply = ann.call("POST", "/api/containers", body("busybox:1", None, {"environment": environment}))
    assert reply.status == 400 and reply.body["error"]["details"][0]["field"] == "environment"
    assert ann.call("GET", "/api/containers").body["containers"] == []


def test_purging_a_volume_another_container_mounts_is_409_and_changes_nothing(
    api: Api, default_host: str, test_image: str
) -> None:
    ann = api.user()
    first, second = deploy(ann, test_image), deploy(ann, test_image, name="second")
    volume = f"cs-{ann.org_id}-data"
    reply = ann.call("DELETE", f"/api/containers/{first['id']}?purge_volumes=true")
    assert reply.status == 409, reply.body
    assert reply.body["error"]["message"].startswith("Volume 'data' is also mounted by container 'second'")
    assert volume not in json.dumps(reply.body)
    assert ann.call("GET", f"/api/containers/{first['id']}").body["status"] == "running"
    assert [c.status for c in engine_containers(first["id"])] == ["running"]
    client = docker.from_env()
    try:
        assert client.volumes.list(filters={"name": volume})
        assert ann.call("DELETE", f"/api/containers/{second['id']}").status == 204
        assert ann.call("DELETE", f"/api/containers/{first['id']}?purge_volumes=true").status == 204
        assert client.volumes.list(filters={"name": volume}) == []
    finally:
        client.close()
