"""DockerEngine against the real local Docker Engine (images built locally, nothing pulled)."""

from __future__ import annotations

import ipaddress
import socket
import ssl
import threading
import time
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import pytest

from chalicelib.adapters.docker.engine import DockerEngine, connect_docker
from chalicelib.domain.hosts.engine import ContainerSpec, LogLine, PortBinding, VolumeMount
from chalicelib.domain.hosts.entities import TlsMaterial
from chalicelib.domain.shared.errors import EngineError, EngineUnavailable, ImageNotFound, PortInUse
from tests.support import images
from tests.support.docker_fixtures import TEST_RUN_LABEL

pytestmark = pytest.mark.docker

MIB = 1024 * 1024
T = TypeVar("T")


@pytest.fixture
def spec(test_image: str, run_id: str) -> ContainerSpec:
    return ContainerSpec(
        name=f"cs-test-{uuid.uuid4().hex[:12]}",
        image=test_image,
        cpu=0.5,
        memory_bytes=64 * MIB,
        environment={"GREETING": "hello"},
        ports=(PortBinding(80),),
        labels={TEST_RUN_LABEL: run_id, "cs.role": "web"},
    )


def eventually(probe: Callable[[], T | None], seconds: float = 5.0) -> T:
    """The first truthy result of `probe`, retried until `seconds` have passed."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            result = probe()
            if result:
                return result
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise AssertionError(f"no result from {probe} within {seconds} s")
        time.sleep(0.1)


def http_get(port: int) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:
        return str(response.read().decode())


def startup_logs(engine: DockerEngine, name: str) -> list[LogLine]:
    """The container's log once both start-up lines (stdout and stderr) are in."""

    def probe() -> list[LogLine] | None:
        lines = engine.logs(name, tail=100, since=None)
        return lines if len(lines) >= 2 else None

    return eventually(probe)


def test_info_reports_host_capacity(engine: DockerEngine) -> None:
    # When
    info = engine.info()
    # Then
    assert info.cpus >= 1 and info.memory_bytes > 0 and info.server_version


def test_create_and_start_applies_limits_and_environment(
    engine: DockerEngine, spec: ContainerSpec, raw: Any
) -> None:
    # When
    container = engine.create_and_start(spec)
    # Then
    attrs = raw.api.inspect_container(spec.name)
    assert container.status == "running" and container.exit_code is None
    assert (container.cpu, container.memory_bytes) == (0.5, 64 * MIB)
    assert (attrs["HostConfig"]["CpuQuota"], attrs["HostConfig"]["CpuPeriod"]) == (50_000, 100_000)
    assert attrs["HostConfig"]["Memory"] == attrs["HostConfig"]["MemorySwap"] == 64 * MIB
    assert "GREETING=hello" in attrs["Config"]["Env"]
    assert container.labels["cs.role"] == "web" and container.started_at is not None


def test_published_port_serves_http_on_localhost(engine: DockerEngine, spec: ContainerSpec) -> None:
    # Given
    container = engine.create_and_start(spec)
    (binding,) = container.ports
    assert binding.container == 80 and binding.host is not None
    # When
    page = eventually(lambda: http_get(binding.host or 0))
    # Then
    assert images.PAGE in page


def test_missing_image_raises_image_not_found_and_leaves_nothing(
    engine: DockerEngine, spec: ContainerSpec
) -> None:
    # Given
    missing = replace(spec, image="cs-test-missing:never")
    # When
    with pytest.raises(ImageNotFound) as raised:
        engine.create_and_start(missing)
    # Then
    assert "cs-test-missing:never" in raised.value.message
    assert engine.find(spec.name) is None


def test_port_held_by_a_process_raises_port_in_use_and_leaves_nothing(
    engine: DockerEngine, spec: ContainerSpec
) -> None:
    # Given
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        # When
        with pytest.raises(PortInUse) as raised:
            engine.create_and_start(replace(spec, ports=(PortBinding(80, port),)))
    # Then
    assert str(port) in raised.value.message
    assert engine.find(spec.name) is None


def test_port_held_by_another_container_raises_port_in_use(engine: DockerEngine, spec: ContainerSpec) -> None:
    # Given
    first = engine.create_and_start(spec)
    taken = first.ports[0].host
    second = replace(spec, name=f"{spec.name}-2", ports=(PortBinding(80, taken),))
    # When
    with pytest.raises(PortInUse) as raised:
        engine.create_and_start(second)
    # Then
    assert raised.value.details == {"port": taken}
    assert engine.find(second.name) is None


def test_stop_exits_the_container(engine: DockerEngine, spec: ContainerSpec) -> None:
    # Given
    engine.create_and_start(spec)
    # When
    engine.stop(spec.name, timeout=5)
    # Then
    stopped = engine.find(spec.name)
    assert stopped is not None and stopped.status == "exited"
    assert stopped.exit_code == 0 and stopped.finished_at is not None


def test_start_runs_a_stopped_container(engine: DockerEngine, spec: ContainerSpec) -> None:
    # Given
    engine.create_and_start(spec)
    engine.stop(spec.name, timeout=5)
    # When
    engine.start(spec.name)
    # Then
    started = engine.find(spec.name)
    assert started is not None and started.status == "running" and started.exit_code is None


def test_restart_starts_the_container_again(engine: DockerEngine, spec: ContainerSpec) -> None:
    # Given
    before = engine.create_and_start(spec)
    # When
    engine.restart(spec.name, timeout=5)
    # Then
    after = engine.find(spec.name)
    assert after is not None and after.status == "running"
    assert after.started_at and before.started_at and after.started_at > before.started_at


def test_update_resources_changes_limits_in_place(
    engine: DockerEngine, spec: ContainerSpec, raw: Any
) -> None:
    # Given
    created = engine.create_and_start(spec)
    # When
    engine.update_resources(spec.name, cpu=1.5, memory_bytes=128 * MIB)
    # Then
    host = raw.api.inspect_container(spec.name)["HostConfig"]
    assert (host["CpuQuota"], host["CpuPeriod"]) == (150_000, 100_000)
    assert (host["Memory"], host["MemorySwap"]) == (128 * MIB, 128 * MIB)
    updated = engine.find(spec.name)
    assert updated is not None and updated.id == created.id and updated.status == "running"
    assert (updated.cpu, updated.memory_bytes) == (1.5, 128 * MIB)


def test_update_resources_refusal_is_an_engine_error(engine: DockerEngine, spec: ContainerSpec) -> None:
    # Given
    engine.create_and_start(spec)
    # When / Then
    with pytest.raises(EngineError, match="Minimum memory limit"):
        engine.update_resources(spec.name, cpu=0.5, memory_bytes=1 * MIB)


def test_logs_tag_each_line_with_its_stream(engine: DockerEngine, spec: ContainerSpec) -> None:
    # Given
    engine.create_and_start(spec)
    # When
    lines = startup_logs(engine, spec.name)
    # Then
    assert (images.STDOUT_LINE, "stdout") in [(line.message, line.stream) for line in lines]
    assert (images.STDERR_LINE, "stderr") in [(line.message, line.stream) for line in lines]
    assert [line.timestamp for line in lines] == sorted(line.timestamp for line in lines)


def test_logs_tail_keeps_only_the_newest_lines(engine: DockerEngine, spec: ContainerSpec) -> None:
    # Given
    engine.create_and_start(spec)
    everything = startup_logs(engine, spec.name)
    # When
    last = engine.logs(spec.name, tail=1, since=None)
    # Then
    assert last == everything[-1:]


def test_logs_since_skips_older_lines(engine: DockerEngine, spec: ContainerSpec) -> None:
    # Given
    engine.create_and_start(spec)
    everything = startup_logs(engine, spec.name)
    # When
    later = engine.logs(spec.name, tail=100, since=everything[-1].timestamp)
    # Then
    assert later == everything[-1:]


def test_stats_of_a_running_container_are_plausible(engine: DockerEngine, spec: ContainerSpec) -> None:
    # Given
    engine.create_and_start(spec)
    # When
    stats = engine.stats(spec.name)
    # Then
    assert stats.memory_limit_bytes == 64 * MIB
    assert 0 < stats.memory_used_bytes < 64 * MIB
    assert stats.pids >= 1 and stats.cpu_percent >= 0.0


def test_stats_of_a_stopped_container_are_zero(engine: DockerEngine, spec: ContainerSpec) -> None:
    # Given
    engine.create_and_start(spec)
    engine.stop(spec.name, timeout=5)
    # When
    stats = engine.stats(spec.name)
    # Then
    assert (stats.cpu_percent, stats.memory_used_bytes, stats.pids) == (0.0, 0, 0)


def test_remove_is_idempotent(engine: DockerEngine, spec: ContainerSpec) -> None:
    # Given
    engine.create_and_start(spec)
    # When
    engine.remove(spec.name)
    engine.remove(spec.name)
    # Then
    assert engine.find(spec.name) is None


def test_list_managed_returns_only_containers_with_all_labels(
    engine: DockerEngine, spec: ContainerSpec, run_id: str
) -> None:
    # Given
    web = engine.create_and_start(spec)
    engine.create_and_start(
        replace(spec, name=f"{spec.name}-db", labels={**spec.labels, "cs.role": "db"}, ports=())
    )
    # When
    listed = engine.list_managed({TEST_RUN_LABEL: run_id, "cs.role": "web"})
    # Then
    assert [c.id for c in listed] == [web.id]
    assert listed[0].ports == web.ports


def test_named_volume_is_mounted_and_remove_volume_deletes_it(
    engine: DockerEngine, spec: ContainerSpec, raw: Any
) -> None:
    # Given
    volume = f"{spec.name}-data"
    try:
        engine.create_and_start(replace(spec, volumes=(VolumeMount(volume, "/data"),)))
        mounts = raw.api.inspect_container(spec.name)["Mounts"]
        assert [(m["Name"], m["Destination"], m["RW"]) for m in mounts] == [(volume, "/data", True)]
        engine.remove(spec.name)
        # When
        engine.remove_volume(volume)
        engine.remove_volume(volume)
        # Then
        assert volume not in [v.name for v in raw.volumes.list()]
    finally:
        engine.remove(spec.name)
        engine.remove_volume(volume)


def test_remove_volume_in_use_is_an_engine_error(engine: DockerEngine, spec: ContainerSpec) -> None:
    # Given
    volume = f"{spec.name}-data"
    try:
        engine.create_and_start(replace(spec, volumes=(VolumeMount(volume, "/data", read_only=True),)))
        # When / Then
        with pytest.raises(EngineError, match="in use"):
            engine.remove_volume(volume)
    finally:
        engine.remove(spec.name)
        engine.remove_volume(volume)


def test_find_returns_none_for_unknown_names(engine: DockerEngine) -> None:
    # When / Then
    assert engine.find(f"cs-test-unknown-{uuid.uuid4().hex}") is None


@pytest.mark.parametrize("url", ["unix:///nonexistent/docker.sock", "tcp://127.0.0.1:1"])
def test_unreachable_engine_raises_engine_unavailable(url: str) -> None:
    # Given
    engine = connect_docker(url)
    # When / Then
    with pytest.raises(EngineUnavailable):
        engine.info()


def issue_certificate(common_name: str, key: Any, issuer: tuple[Any, Any] | None = None) -> Any:
    """A one-hour certificate for 127.0.0.1, self-signed (a CA) when `issuer` (cert, key) is None."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.x509.oid import NameOID

    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.now(UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(issuer[0].subject if issuer else name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(hours=1))
        .add_extension(x509.BasicConstraints(ca=issuer is None, path_length=None), critical=True)
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False
        )
        .sign(issuer[1] if issuer else key, hashes.SHA256())
    )


def pem(item: Any) -> str:
    from cryptography.hazmat.primitives import serialization

    if hasattr(item, "private_bytes"):
        return str(
            item.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            ).decode()
        )
    return str(item.public_bytes(serialization.Encoding.PEM).decode())


def pump(source: socket.socket, target: socket.socket) -> None:
    with source, target:
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass


@pytest.fixture
def tls_engine_endpoint(docker_url: str, tmp_path: Path) -> Iterator[tuple[str, TlsMaterial, TlsMaterial]]:
    """(URL, client TLS, client TLS trusting another CA) of a client-cert TLS proxy to the engine."""
    from cryptography.hazmat.primitives.asymmetric import ec

    if not docker_url.startswith("unix://"):
        pytest.skip("the TLS proxy forwards to a unix socket engine")
    ca_key, server_key, client_key, other_key = (ec.generate_private_key(ec.SECP256R1()) for _ in range(4))
    ca = issue_certificate("cs-test-ca", ca_key)
    (tmp_path / "server.pem").write_text(
        pem(issue_certificate("127.0.0.1", server_key, (ca, ca_key))) + pem(server_key)
    )
    (tmp_path / "ca.pem").write_text(pem(ca))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(tmp_path / "server.pem")
    context.load_verify_locations(tmp_path / "ca.pem")
    context.verify_mode = ssl.CERT_REQUIRED
    listener = socket.create_server(("127.0.0.1", 0))

    def serve() -> None:
        while True:
            try:
                client = context.wrap_socket(listener.accept()[0], server_side=True)
            except OSError:
                if listener.fileno() == -1:
                    return
                continue
            upstream = socket.socket(socket.AF_UNIX)
            upstream.connect(docker_url.removeprefix("unix://"))
            threading.Thread(target=pump, args=(client, upstream), daemon=True).start()
            threading.Thread(target=pump, args=(upstream, client), daemon=True).start()

    threading.Thread(target=serve, daemon=True).start()
    client_cert = pem(issue_certificate("cs-test-client", client_key, (ca, ca_key)))
    good = TlsMaterial(ca_cert=pem(ca), client_cert=client_cert, client_key=pem(client_key))
    untrusting = replace(good, ca_cert=pem(issue_certificate("cs-test-other-ca", other_key)))
    try:
        yield f"tcp://127.0.0.1:{listener.getsockname()[1]}", good, untrusting
    finally:
        listener.close()


def test_tcp_endpoint_with_client_certificates_is_reachable(
    tls_engine_endpoint: tuple[str, TlsMaterial, TlsMaterial],
    engine: DockerEngine,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given: an environment CA bundle that does not know the engine's CA (requests would prefer it)
    url, tls, untrusting = tls_engine_endpoint
    (tmp_path / "env-ca.pem").write_text(untrusting.ca_cert)
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(tmp_path / "env-ca.pem"))
    remote = connect_docker(url, tls)
    # When
    info = remote.info()
    remote.close()
    # Then
    assert info == engine.info()


def test_untrusted_engine_certificate_is_an_engine_error(
    tls_engine_endpoint: tuple[str, TlsMaterial, TlsMaterial],
) -> None:
    # Given
    url, _, untrusting = tls_engine_endpoint
    # When / Then
    with pytest.raises(EngineError, match="TLS"):
        connect_docker(url, untrusting).info()
