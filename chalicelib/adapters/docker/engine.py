"""ContainerEngine over the Docker Engine API; the docker SDK is imported lazily (cold starts stay cheap)."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
import weakref
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from chalicelib.domain.hosts.engine import (
    ContainerSpec,
    ContainerStats,
    EngineContainer,
    EngineInfo,
    LogLine,
    LogStream,
    PortBinding,
)
from chalicelib.domain.hosts.entities import TlsMaterial
from chalicelib.domain.shared.errors import (
    DomainError,
    EngineContainerMissing,
    EngineError,
    EngineUnavailable,
    ImageNotFound,
    PortInUse,
)

if TYPE_CHECKING:
    from docker import DockerClient
    from docker.tls import TLSConfig

DEFAULT_TIMEOUT = 30  # seconds per API call; stop/restart add their own grace period on top
_ZERO_TIME = "0001-01-01T00:00:00Z"
_NO_EXIT_CODE_STATES = frozenset({"created", "running", "paused"})
_PORT_IN_USE = re.compile(r"port is already allocated|address already in use", re.IGNORECASE)
_PORT_IN_MESSAGE = re.compile(r"(?:Bind for|listen \w+) \S*:(\d+)")


def connect_docker(url: str, tls: TlsMaterial | None = None) -> DockerEngine:
    """EngineConnector for Docker: unix:///path sockets or tcp://host:port (TLS client certs when given)."""
    return DockerEngine(url, tls)


class DockerEngine:
    """One Docker Engine endpoint; raises EngineUnavailable, EngineContainerMissing or EngineError."""

    def __init__(self, url: str, tls: TlsMaterial | None = None, timeout: int = DEFAULT_TIMEOUT) -> None:
        self.url = url
        self._tls = tls
        self._timeout = timeout
        self._docker: DockerClient | None = None
        self._tls_dir: str | None = None

    def close(self) -> None:
        """Close the HTTP connections (the client is rebuilt on next use)."""
        if self._docker is not None:
            self._docker.close()
            self._docker = None

    def info(self) -> EngineInfo:
        """Capacity and version of the host."""
        with _engine_errors(self.url):
            info = self._client().api.info()
        return EngineInfo(
            cpus=int(info["NCPU"]),
            memory_bytes=int(info["MemTotal"]),
            server_version=str(info["ServerVersion"]),
        )

    def create_and_start(self, spec: ContainerSpec) -> EngineContainer:
        """Create and start a container (never pulls); removes it again if it cannot start."""
        with _engine_errors(spec.image):
            self._client().images.get(spec.image)
        with _engine_errors(spec.name):
            container = self._client().containers.create(
                spec.image,
                name=spec.name,
                environment=dict(spec.environment),
                labels=dict(spec.labels),
                nano_cpus=int(spec.cpu * 1e9),
                mem_limit=spec.memory_bytes,
                memswap_limit=spec.memory_bytes,  # no swap beyond the memory limit
                ports=port_bindings(spec.ports, spec.publish_ip),
                volumes={
                    v.name: {"bind": v.path, "mode": "ro" if v.read_only else "rw"} for v in spec.volumes
                },
                restart_policy={"Name": "no"},
            )
            try:
                container.start()
            except BaseException:
                with contextlib.suppress(Exception):
                    container.remove(force=True)
                raise
            return to_engine_container(self._client().api.inspect_container(container.id))

    def find(self, id_or_name: str) -> EngineContainer | None:
        """The container, or None when the engine has none by that id/name."""
        import docker.errors

        with _engine_errors(id_or_name):
            try:
                return to_engine_container(self._client().api.inspect_container(id_or_name))
            except docker.errors.NotFound:
                return None

    def list_managed(self, labels: Mapping[str, str]) -> list[EngineContainer]:
        """All containers (running or not) carrying every one of `labels`."""
        with _engine_errors(self.url):
            found = self._client().containers.list(
                all=True, filters={"label": [f"{k}={v}" for k, v in labels.items()]}, ignore_removed=True
            )
        return [to_engine_container(c.attrs) for c in found]

    def start(self, id_or_name: str) -> None:
        """Start a created or stopped container (no-op when running)."""
        with _engine_errors(id_or_name):
            self._client().api.start(id_or_name)

    def stop(self, id_or_name: str, timeout: int = 10) -> None:
        """SIGTERM, then SIGKILL after `timeout` seconds (no-op when stopped)."""
        with _engine_errors(id_or_name):
            self._client().api.stop(id_or_name, timeout=timeout)

    def restart(self, id_or_name: str, timeout: int = 10) -> None:
        """Stop (as in stop()) and start again."""
        with _engine_errors(id_or_name):
            self._client().api.restart(id_or_name, timeout=timeout)

    def remove(self, id_or_name: str) -> None:
        """Force-remove, keeping named volumes; no error when it is already gone."""
        import docker.errors

        with _engine_errors(id_or_name):
            try:
                self._client().api.remove_container(id_or_name, force=True, v=False)
            except docker.errors.NotFound:
                pass
            except docker.errors.APIError as exc:
                if "already in progress" not in str(exc.explanation):
                    raise

    def update_resources(self, id_or_name: str, cpu: float, memory_bytes: int) -> None:
        """Apply new CPU/memory limits to a live container in place."""
        body = {"NanoCpus": int(cpu * 1e9), "Memory": memory_bytes, "MemorySwap": memory_bytes}
        with _engine_errors(id_or_name):
            api = self._client().api
            # The SDK's update_container() cannot send NanoCpus; CpuQuota is refused once NanoCpus is set.
            api._result(api._post_json(api._url("/containers/{0}/update", id_or_name), data=body), True)

    def logs(self, id_or_name: str, tail: int, since: datetime | None) -> list[LogLine]:
        """The last `tail` lines (from `since` when given), oldest first, each tagged stdout or stderr."""
        since_ts = (since if since.tzinfo else since.replace(tzinfo=UTC)).timestamp() if since else None
        lines: list[LogLine] = []
        with _engine_errors(id_or_name):
            api = self._client().api
            # One call per stream: a non-TTY log read merges both streams and loses which was which.
            streams: tuple[LogStream, ...] = ("stdout", "stderr")
            for stream in streams:
                raw = api.logs(
                    id_or_name,
                    stdout=stream == "stdout",
                    stderr=stream == "stderr",
                    timestamps=True,
                    tail=tail,
                    since=since_ts,
                )
                lines += parse_log_lines(raw, stream)
        lines.sort(key=lambda line: line.timestamp)
        return lines[max(len(lines) - tail, 0) :]

    def stats(self, id_or_name: str) -> ContainerStats:
        """One current sample (CPU % from the engine's pre/cur counters); zeros for a stopped container."""
        with _engine_errors(id_or_name):
            return stats_from_sample(self._client().api.stats(id_or_name, stream=False))

    def remove_volume(self, name: str) -> None:
        """Remove a named volume; no error when it is already gone, EngineError while in use."""
        import docker.errors

        with _engine_errors(name), contextlib.suppress(docker.errors.NotFound):
            self._client().api.remove_volume(name)

    def _client(self) -> DockerClient:
        if self._docker is None:
            import docker

            tls = self._tls_config(self._tls) if self._tls is not None else None
            client = docker.DockerClient(base_url=self.url, tls=tls, timeout=self._timeout, version="1.24")
            # Else requests lets REQUESTS_CA_BUNDLE replace the engine's CA, and HTTP(S)_PROXY reroute calls.
            client.api.trust_env = False
            # Then what version="auto" does: speak the engine's API version (1.41 on 20.10, newer elsewhere).
            client.api._version = client.api.version(api_version=False)["ApiVersion"]
            self._docker = client
        return self._docker

    def _tls_config(self, tls: TlsMaterial) -> TLSConfig:
        from docker.tls import TLSConfig

        if self._tls_dir is None:
            self._tls_dir = tempfile.mkdtemp(prefix="cs-docker-tls-")  # mode 0700
            weakref.finalize(self, shutil.rmtree, self._tls_dir, ignore_errors=True)
            for file_name, pem in (
                ("ca.pem", tls.ca_cert),
                ("cert.pem", tls.client_cert),
                ("key.pem", tls.client_key),
            ):
                fd = os.open(
                    os.path.join(self._tls_dir, file_name), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600
                )
                with os.fdopen(fd, "w") as f:
                    f.write(pem)
        path = self._tls_dir
        return TLSConfig(
            client_cert=(os.path.join(path, "cert.pem"), os.path.join(path, "key.pem")),
            ca_cert=os.path.join(path, "ca.pem"),
            verify=True,
        )


@contextlib.contextmanager
def _engine_errors(subject: str) -> Iterator[None]:
    """Re-raise SDK and transport errors as domain errors about `subject` (container, image or volume)."""
    import docker.errors
    import requests

    try:
        yield
    except (docker.errors.DockerException, requests.exceptions.RequestException) as exc:
        raise translate_error(exc, subject) from exc


def translate_error(exc: Exception, subject: str) -> DomainError:
    """The domain error for an SDK/transport exception raised while acting on `subject`."""
    import docker.errors
    import requests

    if _caused_by(exc, requests.exceptions.SSLError):
        return EngineError(f"TLS with the container engine failed: {exc}")
    if _caused_by(exc, requests.exceptions.ConnectionError, requests.exceptions.Timeout):
        return EngineUnavailable("The container engine is not answering right now; try again shortly.")
    if isinstance(exc, docker.errors.ImageNotFound):
        return ImageNotFound(
            f"Image {subject!r} is not available on the container host (images are never pulled); "
            "choose an image that is there.",
            details={"image": subject},
        )
    if isinstance(exc, docker.errors.NotFound):
        return EngineContainerMissing(
            f"The engine has no container {subject!r}.", details={"container": subject}
        )
    if isinstance(exc, docker.errors.APIError):
        explanation = str(exc.explanation or exc)
        if _PORT_IN_USE.search(explanation):
            match = _PORT_IN_MESSAGE.search(explanation)
            port = int(match.group(1)) if match else None
            which = f"Host port {port} is" if port else "A requested host port is"
            return PortInUse(
                f"{which} already in use on the container host; choose another.", details={"port": port}
            )
        status = exc.status_code or 0
        if status in (502, 503, 504) or (status >= 500 and "connection refused" in explanation.lower()):
            return EngineUnavailable("The container engine is not answering right now; try again shortly.")
        return EngineError(f"The container engine refused the request for {subject!r}: {explanation}")
    return EngineError(f"The container engine call for {subject!r} failed: {exc}")


def _caused_by(exc: BaseException | None, *kinds: type[BaseException]) -> bool:
    while exc is not None:
        if isinstance(exc, kinds):
            return True
        exc = exc.__cause__
    return False


def port_bindings(ports: Sequence[PortBinding], ip: str) -> dict[str, list[tuple[str, int | None]]]:
    """SDK `ports=` argument: every binding on `ip`; a None host port lets the engine choose."""
    bindings: dict[str, list[tuple[str, int | None]]] = {}
    for port in ports:
        bindings.setdefault(f"{port.container}/{port.protocol}", []).append((ip, port.host))
    return bindings


def ports_from_inspect(attrs: Mapping[str, Any]) -> list[PortBinding]:
    """Published ports: the requested bindings, with the host port the engine actually chose when running."""
    requested: Mapping[str, Any] = attrs.get("HostConfig", {}).get("PortBindings") or {}
    live: Mapping[str, Any] = attrs.get("NetworkSettings", {}).get("Ports") or {}
    result = []
    for key, wanted in requested.items():
        container_port, _, protocol = key.partition("/")
        host_ports = [b.get("HostPort") for b in (live.get(key) or wanted or []) if b.get("HostPort")]
        result.append(
            PortBinding(
                int(container_port),
                int(host_ports[0]) if host_ports else None,
                "udp" if protocol == "udp" else "tcp",
            )
        )
    return sorted(result, key=lambda p: (p.container, p.protocol))


def parse_time(value: str | None) -> datetime | None:
    """An engine RFC 3339 (nanosecond) timestamp as an aware datetime; None for empty or the zero time."""
    if not value or value.startswith(_ZERO_TIME[:10]):
        return None
    return datetime.fromisoformat(value)


def to_engine_container(attrs: Mapping[str, Any]) -> EngineContainer:
    """EngineContainer from an inspect document."""
    state: Mapping[str, Any] = attrs.get("State") or {}
    host: Mapping[str, Any] = attrs.get("HostConfig") or {}
    status = str(state.get("Status", ""))
    return EngineContainer(
        id=str(attrs["Id"]),
        name=str(attrs.get("Name", "")).lstrip("/"),
        status=status,
        exit_code=None if status in _NO_EXIT_CODE_STATES else int(state.get("ExitCode", 0)),
        error=state.get("Error") or None,
        labels=dict((attrs.get("Config") or {}).get("Labels") or {}),
        ports=ports_from_inspect(attrs),
        started_at=parse_time(state.get("StartedAt")),
        finished_at=parse_time(state.get("FinishedAt")),
        cpu=host["NanoCpus"] / 1e9 if host.get("NanoCpus") else None,
        memory_bytes=int(host["Memory"]) if host.get("Memory") else None,
        created_at=parse_time(attrs.get("Created")),
    )


def parse_log_lines(raw: bytes, stream: LogStream) -> list[LogLine]:
    """Lines of a `timestamps=True` log read of one stream."""
    lines = []
    for entry in raw.decode("utf-8", errors="replace").split("\n"):
        if entry:
            stamp, _, message = entry.partition(" ")
            lines.append(LogLine(timestamp=datetime.fromisoformat(stamp), stream=stream, message=message))
    return lines


def cpu_percent(sample: Mapping[str, Any]) -> float:
    """CPU use as `docker stats` shows it (100 % = one core); 0.0 without a previous sample."""
    cur, pre = sample.get("cpu_stats") or {}, sample.get("precpu_stats") or {}
    if not pre.get("system_cpu_usage"):
        return 0.0
    cpu_delta = cur.get("cpu_usage", {}).get("total_usage", 0) - pre.get("cpu_usage", {}).get(
        "total_usage", 0
    )
    system_delta = cur.get("system_cpu_usage", 0) - pre["system_cpu_usage"]
    cpus = cur.get("online_cpus") or len(cur.get("cpu_usage", {}).get("percpu_usage") or ()) or 1
    if cpu_delta <= 0 or system_delta <= 0:
        return 0.0
    return float(cpu_delta / system_delta * cpus * 100.0)


def memory_used(memory_stats: Mapping[str, Any]) -> int:
    """Memory in use without reclaimable page cache, as `docker stats` shows it (cgroup v1 and v2)."""
    usage = int(memory_stats.get("usage", 0))
    detail: Mapping[str, int] = memory_stats.get("stats") or {}
    for key in ("total_inactive_file", "inactive_file", "cache"):  # cgroup v1, v2, old v1 engines
        if key in detail:
            return usage - detail[key] if detail[key] < usage else usage
    return usage


def stats_from_sample(sample: Mapping[str, Any]) -> ContainerStats:
    """ContainerStats from one non-streamed stats document (all zeros for a stopped container)."""
    memory: Mapping[str, Any] = sample.get("memory_stats") or {}
    networks: Mapping[str, Mapping[str, int]] = sample.get("networks") or {}
    io: list[Mapping[str, Any]] = (sample.get("blkio_stats") or {}).get("io_service_bytes_recursive") or []
    return ContainerStats(
        cpu_percent=cpu_percent(sample),
        memory_used_bytes=memory_used(memory),
        memory_limit_bytes=int(memory.get("limit", 0)),
        network_rx_bytes=sum(n.get("rx_bytes", 0) for n in networks.values()),
        network_tx_bytes=sum(n.get("tx_bytes", 0) for n in networks.values()),
        block_read_bytes=sum(int(e["value"]) for e in io if str(e.get("op", "")).lower() == "read"),
        block_write_bytes=sum(int(e["value"]) for e in io if str(e.get("op", "")).lower() == "write"),
        pids=int((sample.get("pids_stats") or {}).get("current", 0)),
    )
