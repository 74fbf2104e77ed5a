"""DockerEngine's safe defaults, out-of-memory reports and networks, against the real local Docker Engine."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import Any

import pytest

from chalicelib.adapters.docker.engine import CAPABILITIES, DockerEngine
from chalicelib.domain.hosts.engine import ContainerSpec, EngineContainer, PortBinding
from tests.integration.hosts.test_docker_engine import eventually, http_get
from tests.support import images
from tests.support.docker_fixtures import TEST_RUN_LABEL

pytestmark = pytest.mark.docker

MIB = 1024 * 1024


@pytest.fixture
def spec(test_image: str, run_id: str) -> ContainerSpec:
    return ContainerSpec(
        name=f"cs-test-{uuid.uuid4().hex[:12]}",
        image=test_image,
        cpu=0.5,
        memory_bytes=64 * MIB,
        ports=(PortBinding(80),),
        labels={TEST_RUN_LABEL: run_id},
    )


@pytest.fixture
def network(engine: DockerEngine, run_id: str) -> Iterator[str]:
    """A fresh network name; the network is removed afterwards (run_id's cleanup removes its containers)."""
    name = f"cs-test-net-{uuid.uuid4().hex[:12]}"
    yield name
    engine.remove_network(name)


def test_every_container_runs_with_the_safe_defaults_and_still_serves(
    engine: DockerEngine, spec: ContainerSpec, raw: Any
) -> None:
    # When
    container = engine.create_and_start(spec)
    # Then
    host = raw.api.inspect_container(spec.name)["HostConfig"]
    assert host["PidsLimit"] == 512
    assert host["CapDrop"] == ["ALL"] and sorted(host["CapAdd"]) == sorted(CAPABILITIES)
    assert host["SecurityOpt"] == ["no-new-privileges"] and host["Privileged"] is False
    assert host["LogConfig"] == {"Type": "json-file", "Config": {"max-size": "10m", "max-file": "3"}}
    # And: busybox httpd still binds port 80 with only those capabilities
    assert images.PAGE in eventually(lambda: http_get(container.ports[0].host or 0))


def test_a_container_over_its_memory_limit_is_reported_as_killed_for_it(
    engine: DockerEngine, spec: ContainerSpec, hog_image: str
) -> None:
    # Given: a main process that allocates 100 MiB under a 16 MiB limit
    engine.create_and_start(replace(spec, image=hog_image, memory_bytes=16 * MIB, ports=()))

    # When
    def ended() -> EngineContainer | None:
        found = engine.find(spec.name)
        return found if found is not None and found.status == "exited" else None

    dead = eventually(ended, seconds=20)
    # Then
    assert dead.oom_killed and dead.exit_code == 137


def test_racing_creates_of_one_network_all_succeed_and_make_one(
    engine: DockerEngine, network: str, raw: Any
) -> None:
    # When
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda _: engine.ensure_network(network, {"cs.test": "yes"}), range(8)))
    engine.ensure_network(network, {"cs.test": "yes"})
    # Then
    [made] = [n for n in raw.api.networks(names=[network]) if n["Name"] == network]
    assert made["Driver"] == "bridge" and made["Labels"] == {"cs.test": "yes"}


def test_a_network_in_use_stays_and_goes_once_unused(
    engine: DockerEngine, spec: ContainerSpec, network: str, raw: Any
) -> None:
    # Given
    engine.ensure_network(network, {})
    engine.create_and_start(replace(spec, network=network, network_alias="web"))
    # When: still in use
    engine.remove_network(network)
    # Then
    assert [n["Name"] for n in raw.api.networks(names=[network])] == [network]
    attrs = raw.api.inspect_container(spec.name)
    assert list(attrs["NetworkSettings"]["Networks"]) == [network]
    assert "web" in attrs["NetworkSettings"]["Networks"][network]["Aliases"]
    # When: unused
    engine.remove(spec.name)
    engine.remove_network(network)
    engine.remove_network(network)
    # Then
    assert raw.api.networks(names=[network]) == []


def test_stats_many_reads_every_container_in_order(engine: DockerEngine, spec: ContainerSpec) -> None:
    # Given
    small = engine.create_and_start(replace(spec, ports=()))
    big = engine.create_and_start(replace(spec, name=f"{spec.name}-big", memory_bytes=96 * MIB, ports=()))
    # When
    samples = engine.stats_many([big.id, small.id])
    # Then
    assert [s.memory_limit_bytes for s in samples] == [96 * MIB, 64 * MIB]
    assert all(s.pids >= 1 for s in samples)
