"""ContainerEngine over the Docker Engine API; the docker SDK is imported lazily (cold starts stay cheap)."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import weakref
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from chalicelib.adapters.docker.bridges import bridge_interface, stop_forwarding
from chalicelib.adapters.docker.documents import (
    CPU_PERIOD,
    cpu_quota,
    parse_log_lines,
    parse_time,
    port_bindings,
    stats_from_sample,
    to_engine_container,
)
from chalicelib.adapters.docker.errors import engine_errors
from chalicelib.domain.hosts.engine import (
    ContainerSpec,
    ContainerStats,
    EngineContainer,
    EngineInfo,
    LogLine,
    LogStream,
)
from chalicelib.domain.hosts.entities import TlsMaterial
from chalicelib.domain.shared.errors import EngineError

if TYPE_CHECKING:
    from docker import DockerClient
    from docker.tls import TLSConfig

DEFAULT_TIMEOUT = 30  # seconds per API call; stop/restart add their own grace period on top
MIN_API_VERSION = "1.24"  # only to ask the engine which version it speaks
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MAX_PARALLEL = 20  # concurrent engine calls of one stats_many (MAX_REPLICAS); also the connection pool size

# Safe defaults of every engine container (callers cannot turn them off).
PIDS_LIMIT = 512  # a fork bomb stops here instead of exhausting the host's PIDs
# Docker's default set minus what an ordinary server never needs. Kept: CHOWN, DAC_OVERRIDE and FOWNER
# (entrypoints that run as root fix ownership and modes of their data directories), SETUID and SETGID
# (they then drop to an unprivileged user: su-exec/gosu, nginx and postgres workers), NET_BIND_SERVICE
# (listening on ports below 1024, e.g. a web server on 80) and KILL (a master signalling workers that run
# as another user). Dropped: NET_RAW (raw sockets forge packets on the bridge the org shares with the
# host), MKNOD, SYS_CHROOT, SETPCAP, SETFCAP, FSETID and AUDIT_WRITE.
CAPABILITIES = ("CHOWN", "DAC_OVERRIDE", "FOWNER", "SETUID", "SETGID", "NET_BIND_SERVICE", "KILL")
SECURITY_OPTIONS = ("no-new-privileges",)  # setuid binaries cannot gain privileges inside the container
LOG_CONFIG = {"type": "json-file", "config": {"max-size": "10m", "max-file": "3"}}  # <= 30 MB per replica


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
        with engine_errors(self.url):
            info = self._client().api.info()
        return EngineInfo(
            cpus=int(info["NCPU"]),
            memory_bytes=int(info["MemTotal"]),
            server_version=str(info["ServerVersion"]),
        )

    def create_and_start(self, spec: ContainerSpec) -> EngineContainer:
        """Create and start a hardened container (never pulls); removes it again if it cannot start."""
        with engine_errors(spec.image):
            self._client().images.get(spec.image)
        with engine_errors(spec.name):
            client = self._client()
            attach: dict[str, Any] = {}  # the default bridge unless the spec names a network
            if spec.network is not None:
                # By id: a name two racing creates gave to two networks would be ambiguous. A network that is
                # gone makes start() fail with "network ... not found" (EngineUnavailable: retry).
                named = self._networks_named(spec.network)
                target = str(named[0]["Id"]) if named else spec.network
                aliases = [spec.network_alias] if spec.network_alias else None
                attach = {
                    "network": target,
                    "networking_config": {target: client.api.create_endpoint_config(aliases=aliases)},
                }
            container = client.containers.create(
                spec.image,
                name=spec.name,
                environment=dict(spec.environment),
                labels=dict(spec.labels),
                # CPU as a CFS quota, not NanoCpus: the SDK can update only the quota in place, and the
                # engine refuses a quota update once NanoCpus is set.
                cpu_period=CPU_PERIOD,
                cpu_quota=cpu_quota(spec.cpu),
                mem_limit=spec.memory_bytes,
                memswap_limit=spec.memory_bytes,  # no swap beyond the memory limit
                pids_limit=PIDS_LIMIT,
                cap_drop=["ALL"],
                cap_add=list(CAPABILITIES),
                security_opt=list(SECURITY_OPTIONS),
                privileged=False,
                log_config=LOG_CONFIG,
                ports=port_bindings(spec.ports, spec.publish_ip),
                volumes={
                    v.name: {"bind": v.path, "mode": "ro" if v.read_only else "rw"} for v in spec.volumes
                },
                restart_policy={"Name": "no"},
                **attach,
            )
            try:
                container.start()
            except BaseException:
                with contextlib.suppress(Exception):
                    container.remove(force=True)
                raise
            return to_engine_container(client.api.inspect_container(container.id))

    def find(self, id_or_name: str) -> EngineContainer | None:
        """The container, or None when the engine has none by that id/name."""
        import docker.errors

        with engine_errors(id_or_name):
            try:
                return to_engine_container(self._client().api.inspect_container(id_or_name))
            except docker.errors.NotFound:
                return None

    def list_managed(self, labels: Mapping[str, str]) -> list[EngineContainer]:
        """All containers (running or not) carrying every one of `labels`."""
        with engine_errors(self.url):
            found = self._client().containers.list(
                all=True, filters={"label": [f"{k}={v}" for k, v in labels.items()]}, ignore_removed=True
            )
        return [to_engine_container(c.attrs) for c in found]

    def start(self, id_or_name: str) -> None:
        """Start a created or stopped container (no-op when running)."""
        with engine_errors(id_or_name):
            self._client().api.start(id_or_name)

    def stop(self, id_or_name: str, timeout: int = 10) -> None:
        """SIGTERM, then SIGKILL after `timeout` seconds (no-op when stopped)."""
        with engine_errors(id_or_name):
            self._client().api.stop(id_or_name, timeout=timeout)

    def restart(self, id_or_name: str, timeout: int = 10) -> None:
        """Stop (as in stop()) and start again."""
        with engine_errors(id_or_name):
            self._client().api.restart(id_or_name, timeout=timeout)

    def remove(self, id_or_name: str) -> None:
        """Force-remove, keeping named volumes; no error when it is already gone."""
        import docker.errors

        with engine_errors(id_or_name):
            try:
                self._client().api.remove_container(id_or_name, force=True, v=False)
            except docker.errors.NotFound:
                pass
            except docker.errors.APIError as exc:
                if "already in progress" not in str(exc.explanation):
                    raise

    def update_resources(self, id_or_name: str, cpu: float, memory_bytes: int) -> None:
        """Apply new CPU/memory limits to a live container in place."""
        import docker.errors

        with engine_errors(id_or_name):
            try:
                self._client().api.update_container(
                    id_or_name,
                    cpu_period=CPU_PERIOD,
                    cpu_quota=cpu_quota(cpu),
                    mem_limit=memory_bytes,
                    memswap_limit=memory_bytes,
                )
            except docker.errors.APIError as exc:
                if "NanoCPUs has already been set" not in str(exc.explanation):
                    raise
                raise EngineError(  # made by an earlier version, with NanoCpus
                    "This container's CPU limit cannot change in place; redeploy it first (update its image, "
                    "environment, ports or volumes, or its replicas), then scale it again."
                ) from exc

    def logs(self, id_or_name: str, tail: int, since: datetime | None) -> list[LogLine]:
        """The last `tail` lines (from `since` when given), oldest first, each tagged stdout or stderr."""
        since_ts = (since if since.tzinfo else since.replace(tzinfo=UTC)).timestamp() if since else None
        lines: list[LogLine] = []
        with engine_errors(id_or_name):
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
        """One current sample (CPU % from the engine's pre/cur counters); zeros for a stopped container.

        Not a one-shot read: that one comes without the previous counters, so CPU % would always be 0.
        The engine answers after its next two collection ticks (about 2 s); stats_many overlaps them.
        """
        with engine_errors(id_or_name):
            return stats_from_sample(self._client().api.stats(id_or_name, stream=False))

    def stats_many(self, ids_or_names: Sequence[str]) -> list[ContainerStats]:
        """stats() of each container, in order, read concurrently: about as long as a single read."""
        if len(ids_or_names) <= 1:
            return [self.stats(i) for i in ids_or_names]
        self._client()  # build the shared client once, before the threads use it
        with ThreadPoolExecutor(min(len(ids_or_names), MAX_PARALLEL), "cs-stats") as pool:
            return list(pool.map(self.stats, ids_or_names))

    def ensure_network(self, name: str, labels: Mapping[str, str]) -> None:
        """Create the bridge network `name` unless it exists; racing callers all succeed.

        The engine's name check on create is not atomic (20.10 lets racing creates make two networks of
        one name), so every caller then keeps the first of them (see _networks_named) and removes the rest.
        """
        import docker.errors

        with engine_errors(name):
            if not self._networks_named(name):
                try:
                    self._client().api.create_network(
                        name, driver="bridge", labels=dict(labels), check_duplicate=True
                    )
                except docker.errors.APIError as exc:
                    if exc.status_code != 409:  # 409: a racing create was first
                        raise
            kept, *extras = self._networks_named(name)
            for extra in extras:
                self._remove_network(extra["Id"])
        if self.url.startswith("unix://"):
            stop_forwarding(bridge_interface(str(kept["Id"]), kept.get("Options")))

    def remove_network(self, name: str) -> None:
        """Remove the network (each one of that name); no error when it is gone or a container is attached."""
        with engine_errors(name):
            for network in self._networks_named(name):
                self._remove_network(network["Id"])

    def _networks_named(self, name: str) -> list[dict[str, Any]]:
        """The networks called exactly `name`, the one to use first: the oldest (then the lowest id)."""
        found = [n for n in self._client().api.networks(names=[name]) if n.get("Name") == name]
        return sorted(found, key=lambda n: (parse_time(n.get("Created")) or _EPOCH, str(n["Id"])))

    def _remove_network(self, network_id: str) -> None:
        import docker.errors

        try:
            self._client().api.remove_network(network_id)
        except docker.errors.NotFound:
            pass
        except docker.errors.APIError as exc:
            if "active endpoints" not in str(exc.explanation):
                raise

    def remove_volume(self, name: str) -> None:
        """Remove a named volume; no error when it is already gone, EngineError while in use."""
        import docker.errors

        with engine_errors(name), contextlib.suppress(docker.errors.NotFound):
            self._client().api.remove_volume(name)

    def _client(self) -> DockerClient:
        if self._docker is None:
            import docker

            tls = self._tls_config(self._tls) if self._tls is not None else None
            # Speak the engine's API version (1.41 on 20.10, newer elsewhere), as version="auto" would, but
            # ask with trust_env off: else requests lets REQUESTS_CA_BUNDLE replace the engine's CA, and
            # HTTP(S)_PROXY reroute calls.
            probe = docker.APIClient(
                base_url=self.url, tls=tls, timeout=self._timeout, version=MIN_API_VERSION
            )
            probe.trust_env = False
            try:
                version = str(probe.version(api_version=False)["ApiVersion"])
            finally:
                probe.close()
            client = docker.DockerClient(
                base_url=self.url, tls=tls, timeout=self._timeout, version=version, max_pool_size=MAX_PARALLEL
            )
            client.api.trust_env = False
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
