"""Each organization's containers are on a network of their own: they reach each other by name there."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.containers.test_api import deploy, engine_containers, get_page
from tests.support.api import Api
from tests.support.images import PAGE

pytestmark = pytest.mark.docker

HTTP_GET = "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 2 {host} 80"


def run_in(container: Any, command: str) -> tuple[int, str]:
    """Exit code and output of a shell command run inside an engine container."""
    result = container.exec_run(["sh", "-c", command])
    return int(result.exit_code), result.output.decode(errors="replace")


def address_on(container: Any, network: str) -> str:
    return str(container.attrs["NetworkSettings"]["Networks"][network]["IPAddress"])


def test_replicas_of_one_organization_reach_each_other_by_the_container_name(
    api: Api, default_host: str, test_image: str
) -> None:
    # Given: two replicas of "web" and another container of the same organization
    ann = api.user()
    web = deploy(ann, test_image, name="web")
    assert ann.call("POST", f"/api/containers/{web['id']}/scale", {"replicas": 2}).status == 200
    assert ann.wait_for(web["id"])["status"] == "running"
    client = deploy(ann, test_image, name="client")
    replicas = sorted(engine_containers(web["id"]), key=lambda c: c.labels["cs.replica"])
    [caller] = engine_containers(client["id"])
    network = f"cs-net-{ann.org_id}"
    # When
    _, resolved = run_in(replicas[0], "nslookup web")
    code, page = run_in(caller, HTTP_GET.format(host="web"))
    # Then: the name leads to every replica, and the page comes back
    assert all(address_on(replica, network) in resolved for replica in replicas)
    assert code == 0 and PAGE in page
    # And: on their organization's network only, not the engine's default bridge
    assert {tuple(c.attrs["NetworkSettings"]["Networks"]) for c in [*replicas, caller]} == {(network,)}


def test_a_container_of_another_organization_cannot_connect(
    api: Api, default_host: str, test_image: str
) -> None:
    # Given
    ann, bob = api.user("Ann"), api.user("Bob")
    web = deploy(ann, test_image, name="web")
    spy = deploy(bob, test_image, name="spy")
    [target] = engine_containers(web["id"])
    [intruder] = engine_containers(spy["id"])
    # When
    code, output = run_in(intruder, HTTP_GET.format(host=address_on(target, f"cs-net-{ann.org_id}")))
    # Then: no connection (Docker's iptables isolation, or the adapter's bridge isolation where the engine
    # runs without iptables, as the local stack's does)
    assert not (code == 0 and PAGE in output), f"Bob's container got Ann's page: {output!r}"
    # And: Ann's published port still answers on 127.0.0.1
    port = int(target.attrs["NetworkSettings"]["Ports"]["80/tcp"][0]["HostPort"])
    assert PAGE in get_page(port)
