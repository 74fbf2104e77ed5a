"""Pure helpers of the Docker adapter: stats arithmetic, inspect mapping, port bindings, error translation."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from typing import Any

import docker.errors
import pytest
import requests

from chalicelib.adapters.docker.documents import (
    cpu_percent,
    memory_used,
    parse_log_lines,
    port_bindings,
    ports_from_inspect,
    stats_from_sample,
    to_engine_container,
)
from chalicelib.adapters.docker.engine import DockerEngine, connect_docker
from chalicelib.adapters.docker.errors import translate_error
from chalicelib.domain.hosts.engine import ContainerEngine, EngineConnector, LogLine, PortBinding
from chalicelib.domain.shared.errors import (
    EngineContainerMissing,
    EngineError,
    EngineUnavailable,
    ImageNotFound,
    PortInUse,
)

ZERO = "0001-01-01T00:00:00Z"


def api_error(
    status: int, explanation: str, kind: type[docker.errors.APIError] = docker.errors.APIError
) -> Any:
    response = requests.Response()
    response.status_code = status
    return kind(f"{status} Server Error", response=response, explanation=explanation)


def inspect_doc(status: str = "running", **state: Any) -> dict[str, Any]:
    return {
        "Id": "abc123",
        "Name": "/web-1",
        "State": {
            "Status": status,
            "ExitCode": 0,
            "Error": "",
            "StartedAt": ZERO,
            "FinishedAt": ZERO,
            **state,
        },
        "Config": {"Labels": {"cs.role": "web"}},
        "HostConfig": {"NanoCpus": 500_000_000, "Memory": 67108864, "PortBindings": {}},
        "NetworkSettings": {"Ports": {}},
    }


def test_the_adapter_implements_the_ports() -> None:
    # Given / When (type-checked by mypy; no I/O happens before the first call)
    engine: ContainerEngine = DockerEngine("unix:///nonexistent.sock")
    connector: EngineConnector = connect_docker
    # Then
    assert engine is not None and connector is not None


def test_importing_the_adapter_does_not_import_docker() -> None:
    # When
    code = "import sys, chalicelib.adapters.docker.engine; print('docker' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    # Then
    assert result.stdout.strip() == "False"


def test_cpu_percent_scales_the_container_share_by_online_cpus() -> None:
    # Given
    sample = {
        "cpu_stats": {"cpu_usage": {"total_usage": 400}, "system_cpu_usage": 2000, "online_cpus": 2},
        "precpu_stats": {"cpu_usage": {"total_usage": 200}, "system_cpu_usage": 1000},
    }
    # When / Then
    assert cpu_percent(sample) == pytest.approx(40.0)


def test_cpu_percent_counts_percpu_entries_when_online_cpus_is_missing() -> None:
    # Given
    sample = {
        "cpu_stats": {
            "cpu_usage": {"total_usage": 400, "percpu_usage": [1, 2, 3, 4]},
            "system_cpu_usage": 2000,
        },
        "precpu_stats": {"cpu_usage": {"total_usage": 200}, "system_cpu_usage": 1000},
    }
    # When / Then
    assert cpu_percent(sample) == pytest.approx(80.0)


def test_cpu_percent_is_zero_without_a_previous_sample() -> None:
    # Given
    sample = {
        "cpu_stats": {"cpu_usage": {"total_usage": 400}, "system_cpu_usage": 2000, "online_cpus": 2},
        "precpu_stats": {"cpu_usage": {"total_usage": 0}},
    }
    # When / Then
    assert cpu_percent(sample) == 0.0


def test_memory_used_subtracts_total_inactive_file_on_cgroup_v1() -> None:
    # Given
    stats = {"usage": 1000, "stats": {"total_inactive_file": 300, "inactive_file": 100, "cache": 500}}
    # When / Then
    assert memory_used(stats) == 700


def test_memory_used_subtracts_inactive_file_on_cgroup_v2() -> None:
    # Given
    stats = {"usage": 1000, "stats": {"inactive_file": 400, "anon": 600}}
    # When / Then
    assert memory_used(stats) == 600


def test_memory_used_falls_back_to_cache_and_never_goes_negative() -> None:
    # Given / When / Then
    assert memory_used({"usage": 1000, "stats": {"cache": 250}}) == 750
    assert memory_used({"usage": 1000, "stats": {"inactive_file": 5000}}) == 1000
    assert memory_used({}) == 0


def test_stats_sum_networks_and_block_io_of_both_cgroup_spellings() -> None:
    # Given
    sample = {
        "memory_stats": {"usage": 2048, "limit": 4096, "stats": {"total_inactive_file": 48}},
        "networks": {"eth0": {"rx_bytes": 10, "tx_bytes": 1}, "eth1": {"rx_bytes": 5, "tx_bytes": 2}},
        "blkio_stats": {
            "io_service_bytes_recursive": [
                {"op": "Read", "value": 100},
                {"op": "read", "value": 20},
                {"op": "Write", "value": 7},
                {"op": "Total", "value": 127},
            ]
        },
        "pids_stats": {"current": 3},
    }
    # When
    stats = stats_from_sample(sample)
    # Then
    assert (stats.memory_used_bytes, stats.memory_limit_bytes, stats.pids) == (2000, 4096, 3)
    assert (stats.network_rx_bytes, stats.network_tx_bytes) == (15, 3)
    assert (stats.block_read_bytes, stats.block_write_bytes) == (120, 7)


def test_stats_of_a_stopped_container_are_zero() -> None:
    # Given: what dockerd 20.10 answers for a container that is not running
    sample = {
        "read": ZERO,
        "pids_stats": {},
        "blkio_stats": {"io_service_bytes_recursive": None},
        "cpu_stats": {"cpu_usage": {"total_usage": 0}, "throttling_data": {}},
        "precpu_stats": {"cpu_usage": {"total_usage": 0}, "throttling_data": {}},
        "memory_stats": {},
    }
    # When
    stats = stats_from_sample(sample)
    # Then
    assert stats == type(stats)(0.0, 0, 0, 0, 0, 0, 0, 0)


def test_port_bindings_publish_every_port_on_the_given_ip() -> None:
    # Given
    ports = [PortBinding(80), PortBinding(53, 5353, "udp"), PortBinding(80, 8080)]
    # When / Then
    assert port_bindings(ports, "127.0.0.1") == {
        "80/tcp": [("127.0.0.1", None), ("127.0.0.1", 8080)],
        "53/udp": [("127.0.0.1", 5353)],
    }


def test_ports_from_inspect_report_the_host_port_the_engine_chose() -> None:
    # Given
    attrs = inspect_doc()
    attrs["HostConfig"]["PortBindings"] = {"80/tcp": [{"HostIp": "127.0.0.1", "HostPort": ""}]}
    attrs["NetworkSettings"]["Ports"] = {
        "80/tcp": [{"HostIp": "127.0.0.1", "HostPort": "49153"}],
        "443/tcp": None,  # exposed by the image, not published
    }
    # When / Then
    assert ports_from_inspect(attrs) == [PortBinding(80, 49153)]


def test_ports_from_inspect_of_a_stopped_container_keep_the_requested_bindings() -> None:
    # Given
    attrs = inspect_doc("exited")
    attrs["HostConfig"]["PortBindings"] = {
        "80/tcp": [{"HostIp": "127.0.0.1", "HostPort": ""}],
        "53/udp": [{"HostIp": "127.0.0.1", "HostPort": "5353"}],
    }
    # When / Then
    assert ports_from_inspect(attrs) == [PortBinding(53, 5353, "udp"), PortBinding(80, None)]


def test_a_created_container_has_no_exit_code_and_no_times() -> None:
    # When
    container = to_engine_container(inspect_doc("created", ExitCode=128, Error="port is already allocated"))
    # Then
    assert (container.id, container.name, container.status) == ("abc123", "web-1", "created")
    assert container.exit_code is None and container.error == "port is already allocated"
    assert container.started_at is None and container.finished_at is None
    assert (container.cpu, container.memory_bytes, container.labels) == (0.5, 67108864, {"cs.role": "web"})


def test_an_exited_container_reports_exit_code_and_times() -> None:
    # When
    container = to_engine_container(
        inspect_doc(
            "exited",
            ExitCode=137,
            StartedAt="2026-11-26T04:05:58.074621724Z",
            FinishedAt="2026-11-26T04:05:59.603234958Z",
        )
    )
    # Then
    assert container.exit_code == 137 and container.error is None
    assert container.started_at == datetime(2026, 11, 26, 4, 5, 58, 74621, tzinfo=UTC)
    assert container.finished_at == datetime(2026, 11, 26, 4, 5, 59, 603234, tzinfo=UTC)


def test_unlimited_resources_map_to_none() -> None:
    # Given
    attrs = inspect_doc()
    attrs["HostConfig"].update(NanoCpus=0, Memory=0)
    # When
    container = to_engine_container(attrs)
    # Then
    assert (container.cpu, container.memory_bytes) == (None, None)


def test_cpu_comes_from_the_cfs_quota_and_older_containers_from_nano_cpus() -> None:
    # Given
    quota = inspect_doc()
    quota["HostConfig"].update(NanoCpus=0, CpuQuota=150_000, CpuPeriod=100_000)
    # When / Then
    assert to_engine_container(quota).cpu == 1.5
    assert to_engine_container(inspect_doc()).cpu == 0.5


def test_an_out_of_memory_kill_is_reported() -> None:
    # When
    killed = to_engine_container(inspect_doc("exited", ExitCode=137, OOMKilled=True))
    # Then
    assert killed.oom_killed and killed.exit_code == 137
    assert not to_engine_container(inspect_doc("exited", ExitCode=137)).oom_killed


def test_log_lines_are_split_at_the_timestamp() -> None:
    # Given
    raw = b"2026-11-26T04:05:45.472786343Z hello world\n2026-11-26T04:05:46Z \n"
    # When / Then
    assert parse_log_lines(raw, "stderr") == [
        LogLine(datetime(2026, 11, 26, 4, 5, 45, 472786, tzinfo=UTC), "stderr", "hello world"),
        LogLine(datetime(2026, 11, 26, 4, 5, 46, tzinfo=UTC), "stderr", ""),
    ]


@pytest.mark.parametrize(
    "explanation",
    [
        "driver failed programming external connectivity on endpoint web-1 (ab12): "
        "Bind for 127.0.0.1:8080 failed: port is already allocated",
        "driver failed programming external connectivity on endpoint web-1 (ab12): "
        "Error starting userland proxy: listen tcp4 127.0.0.1:8080: bind: address already in use",
    ],
)
def test_port_conflicts_become_port_in_use_naming_the_port(explanation: str) -> None:
    # When
    error = translate_error(api_error(500, explanation), "web-1")
    # Then
    assert isinstance(error, PortInUse) and "8080" in error.message and error.details == {"port": 8080}


def test_a_missing_image_becomes_image_not_found_naming_it() -> None:
    # When
    error = translate_error(api_error(404, "No such image: shop:1", docker.errors.ImageNotFound), "shop:1")
    # Then
    assert isinstance(error, ImageNotFound) and "shop:1" in error.message


def test_a_missing_container_becomes_engine_container_missing() -> None:
    # When
    error = translate_error(api_error(404, "No such container: web-1", docker.errors.NotFound), "web-1")
    # Then
    assert isinstance(error, EngineContainerMissing) and "web-1" in error.message


def test_a_network_removed_before_start_is_transient() -> None:
    # When: a concurrent delete removed the organization's network between ensure_network and start
    error = translate_error(api_error(404, "network cs-net-o1 not found", docker.errors.NotFound), "web-1")
    # Then: the workflow retries (and ensures the network again)
    assert type(error) is EngineUnavailable and "network" in error.message


@pytest.mark.parametrize(
    "exc",
    [
        requests.exceptions.ConnectionError("Connection refused"),
        requests.exceptions.ReadTimeout("read timed out"),
        api_error(500, "dial tcp 10.0.0.5:2376: connect: connection refused"),
        api_error(503, "Service Unavailable"),
    ],
)
def test_transport_failures_become_engine_unavailable(exc: Exception) -> None:
    # When / Then
    assert isinstance(translate_error(exc, "web-1"), EngineUnavailable)


def test_a_failed_version_probe_caused_by_a_connection_error_is_engine_unavailable() -> None:
    # Given: the SDK wraps the connection error when it asks for the API version
    exc = docker.errors.DockerException("Error while fetching server API version")
    exc.__cause__ = requests.exceptions.ConnectionError("No such file or directory")
    # When / Then
    assert isinstance(translate_error(exc, "unix:///var/run/docker.sock"), EngineUnavailable)


def test_a_tls_failure_is_an_engine_error_not_a_transient_one() -> None:
    # When
    error = translate_error(requests.exceptions.SSLError("certificate verify failed"), "tcp://10.0.0.5:2376")
    # Then
    assert type(error) is EngineError and "TLS" in error.message


def test_other_refusals_carry_the_engine_explanation() -> None:
    # When
    error = translate_error(api_error(409, "remove cs-data: volume is in use - [ab12]"), "cs-data")
    # Then
    assert type(error) is EngineError and "volume is in use" in error.message
