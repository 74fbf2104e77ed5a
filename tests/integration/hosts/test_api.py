"""The admin-only registry of container hosts."""

from __future__ import annotations

import pytest

from tests.support.api import Api

pytestmark = pytest.mark.docker


def test_only_admins_see_and_manage_hosts(api: Api, default_host: str) -> None:
    ann = api.user()
    for method, path in (
        ("GET", "/api/admin/hosts"),
        ("GET", f"/api/admin/hosts/{default_host}"),
        ("POST", f"/api/admin/hosts/{default_host}/drain"),
        ("DELETE", f"/api/admin/hosts/{default_host}"),
    ):
        reply = ann.call(method, path)
        assert reply.status == 403, (method, path)
    admin = api.admin()
    hosts = admin.call("GET", "/api/admin/hosts")
    assert hosts.status == 200
    [host] = hosts.body["hosts"]
    assert host["id"] == default_host and host["status"] == "active" and host["default"] is True
    assert int(host["capacity"]["cpu"]) >= 1


def test_a_host_url_must_be_a_socket_or_tls_tcp(api: Api, default_host: str) -> None:
    admin = api.admin()
    bad = admin.call("POST", "/api/admin/hosts", {"name": "x", "url": "http://example.com"})
    assert bad.status == 400 and bad.body["error"]["details"][0]["field"] == "url"
    no_tls = admin.call("POST", "/api/admin/hosts", {"name": "x", "url": "tcp://127.0.0.1:2376"})
    assert no_tls.status == 400 and no_tls.body["error"]["details"][0]["field"] == "tls"
    unreachable = admin.call(
        "POST", "/api/admin/hosts", {"name": "x", "url": "unix:///nonexistent/docker.sock"}
    )
    assert unreachable.status == 400 and unreachable.body["error"]["details"][0]["field"] == "url"


def test_a_drained_host_takes_no_new_containers_and_a_busy_host_cannot_be_removed(
    api: Api, default_host: str, test_image: str
) -> None:
    admin, ann = api.admin(), api.user()
    request = {"name": "web", "image": test_image, "resources": {"cpu": "0.1", "memory": "16Mi"}}
    placed = ann.call("POST", "/api/containers", request)
    assert placed.status == 202
    assert admin.call("POST", f"/api/admin/hosts/{default_host}/drain").body["status"] == "draining"
    refused = ann.call("POST", "/api/containers", request)
    assert refused.status == 409 and refused.body["error"]["code"] == "no_capacity"
    busy = admin.call("DELETE", f"/api/admin/hosts/{default_host}")
    assert busy.status == 409
    assert admin.call("POST", f"/api/admin/hosts/{default_host}/activate").body["status"] == "active"
    assert admin.call("GET", "/api/admin/hosts/does-not-exist").status == 404
    ann.wait_for(placed.body["id"])  # so the clean-up after the test finds what the workflow creates
