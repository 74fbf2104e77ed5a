"""KubernetesCluster: the KubernetesApi port on the official `kubernetes` client (imported lazily).

The same code talks to a real API server and to the local sandbox stub (devstack/k8s_stub.py): only the
endpoint differs (`Configuration.host`). Errors become domain errors: no answer, 429 and 5xx are
EngineUnavailable (retried by the workflow); other refusals are EngineError with the server's message.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import tempfile
import weakref
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime
from typing import Any, TypeVar

from chalicelib.adapters.kubernetes import manifests
from chalicelib.domain.clusters.entities import ClusterCredentials
from chalicelib.domain.clusters.kube import Workload, WorkloadState
from chalicelib.domain.hosts.engine import LogLine
from chalicelib.domain.shared.errors import EngineContainerMissing, EngineError, EngineUnavailable

TIMEOUT = (3.05, 15)  # connect, read (seconds)
TRANSIENT = {429, 500, 502, 503, 504}
RESTARTED_AT = "kubectl.kubernetes.io/restartedAt"
T = TypeVar("T")


class NotThere(Exception):
    """404 from the API server (callers decide whether that is an error)."""


def connect_kubernetes(credentials: ClusterCredentials) -> KubernetesCluster:
    """A client for one cluster: Bearer token, the cluster's CA for https."""
    from kubernetes import client

    config = client.Configuration()
    config.host = credentials.endpoint.rstrip("/")
    config.api_key = {"authorization": credentials.token}
    config.api_key_prefix = {"authorization": "Bearer"}
    config.retries = 1
    if not credentials.ca_cert:
        return KubernetesCluster(client.ApiClient(config))
    # The client reads the CA from a file; it is public material, removed when the client goes.
    with tempfile.NamedTemporaryFile("w", suffix=".crt", delete=False) as ca:
        ca.write(credentials.ca_cert)
    config.ssl_ca_cert = ca.name
    cluster = KubernetesCluster(client.ApiClient(config))
    weakref.finalize(cluster, _remove, ca.name)
    return cluster


def _remove(path: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)


@contextlib.contextmanager
def _translated() -> Iterator[None]:
    from kubernetes.client.exceptions import ApiException
    from urllib3.exceptions import HTTPError

    try:
        yield
    except ApiException as exc:
        status = int(exc.status or 0)
        if status == 404:
            raise NotThere(_message(exc)) from exc
        if status == 0 or status in TRANSIENT:
            raise EngineUnavailable(f"The Kubernetes API server is not answering ({status}).") from exc
        raise EngineError(
            f"Kubernetes refused the request: {_message(exc)}", details={"status": status}
        ) from exc
    except (HTTPError, OSError) as exc:
        raise EngineUnavailable(f"The Kubernetes API server is not answering: {type(exc).__name__}.") from exc


def _message(exc: Any) -> str:
    """The Status object's message (what kubectl prints), else the HTTP reason."""
    try:
        body = json.loads(exc.body or "{}")
    except (TypeError, ValueError):
        body = {}
    return str(body.get("message") or exc.reason or "unknown error")


def _call(fn: Callable[[], T]) -> T:
    with _translated():
        return fn()


def _quietly_missing(fn: Callable[[], object]) -> None:
    with contextlib.suppress(NotThere):
        _call(fn)


class KubernetesCluster:
    """One cluster's API server (core/v1, apps/v1, networking.k8s.io/v1, version)."""

    def __init__(self, api_client: Any) -> None:
        from kubernetes import client

        self.client = api_client
        self._core = client.CoreV1Api(api_client)
        self._apps = client.AppsV1Api(api_client)
        self._net = client.NetworkingV1Api(api_client)
        self._version = client.VersionApi(api_client)

    def version(self) -> str:
        try:
            return str(_call(lambda: self._version.get_code(_request_timeout=TIMEOUT)).git_version)
        except NotThere as exc:
            raise EngineError(
                "The endpoint does not answer as a Kubernetes API server (no /version)."
            ) from exc

    def ensure_namespace(self, namespace: str, labels: Mapping[str, str]) -> None:
        self._create_unless_exists(
            lambda: self._core.create_namespace(
                manifests.namespace(namespace, labels), _request_timeout=TIMEOUT
            )
        )
        policy = manifests.isolation_policy(namespace, labels)
        self._create_unless_exists(
            lambda: self._net.create_namespaced_network_policy(namespace, policy, _request_timeout=TIMEOUT)
        )

    def apply(self, workload: Workload) -> None:
        ns, name = workload.namespace, workload.name
        body = manifests.deployment(workload)
        if not self._create_unless_exists(
            lambda: self._apps.create_namespaced_deployment(ns, body, _request_timeout=TIMEOUT)
        ):
            self._must(
                lambda: self._apps.replace_namespaced_deployment(name, ns, body, _request_timeout=TIMEOUT)
            )
        self._apply_service(workload)

    def _apply_service(self, w: Workload) -> None:
        ns, name = w.namespace, w.name
        try:
            found = _call(lambda: self._core.read_namespaced_service(name, ns, _request_timeout=TIMEOUT))
        except NotThere:
            found = None
        if not w.ports:
            if found is not None:
                _quietly_missing(
                    lambda: self._core.delete_namespaced_service(name, ns, _request_timeout=TIMEOUT)
                )
            return
        if found is None:
            body = manifests.service(w)
            if self._create_unless_exists(
                lambda: self._core.create_namespaced_service(ns, body, _request_timeout=TIMEOUT)
            ):
                return
            found = self._must(lambda: self._core.read_namespaced_service(name, ns, _request_timeout=TIMEOUT))
        body = manifests.service(w, found.spec.cluster_ip, found.metadata.resource_version)
        self._must(lambda: self._core.replace_namespaced_service(name, ns, body, _request_timeout=TIMEOUT))

    def state(self, namespace: str, name: str) -> WorkloadState | None:
        try:
            d = _call(
                lambda: self._apps.read_namespaced_deployment(name, namespace, _request_timeout=TIMEOUT)
            )
        except NotThere:
            return None
        wanted = int(d.spec.replicas if d.spec.replicas is not None else 1)
        status = d.status
        ready = int(status.ready_replicas or 0) if status else 0
        updated = int(status.updated_replicas or 0) if status else 0
        observed = int(status.observed_generation or 0) if status else 0
        conditions = {c.type: c for c in (status.conditions or [])} if status else {}
        pods = tuple(self._running_pods(namespace, name))
        failing = [
            c
            for kind, c in conditions.items()
            if (kind == "Progressing" and c.status == "False")
            or (kind == "ReplicaFailure" and c.status == "True")
        ]
        if failing:
            reason = "; ".join(f"{c.reason}: {c.message}" for c in failing)
            return WorkloadState("failed", wanted, ready, reason, pods)
        available = conditions.get("Available")
        done = (
            observed >= int(d.metadata.generation or 0)
            and ready == wanted
            and updated == wanted
            and len(pods) == wanted
            and (wanted == 0 or (available is not None and available.status == "True"))
        )
        return WorkloadState("available" if done else "progressing", wanted, ready, None, pods)

    def _running_pods(self, namespace: str, name: str) -> list[str]:
        selector = f"{manifests.WORKLOAD}={name}"
        found = _call(
            lambda: self._core.list_namespaced_pod(
                namespace, label_selector=selector, _request_timeout=TIMEOUT
            )
        )
        pods = [
            p
            for p in found.items
            if p.status is not None and p.status.phase == "Running" and p.metadata.deletion_timestamp is None
        ]
        pods.sort(
            key=lambda p: (p.metadata.creation_timestamp or datetime.min.replace(tzinfo=UTC), p.metadata.name)
        )
        return [str(p.metadata.name) for p in pods]

    def scale(self, namespace: str, name: str, replicas: int) -> None:
        body = manifests.scale(name, namespace, replicas)
        try:
            _call(
                lambda: self._apps.replace_namespaced_deployment_scale(
                    name, namespace, body, _request_timeout=TIMEOUT
                )
            )
        except NotThere as exc:
            raise EngineContainerMissing(f"The Deployment {name} is gone from the cluster.") from exc

    def restart(self, namespace: str, name: str, at: datetime) -> None:
        stamp = at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        patch = {"spec": {"template": {"metadata": {"annotations": {RESTARTED_AT: stamp}}}}}
        try:
            _call(
                lambda: self._apps.patch_namespaced_deployment(
                    name, namespace, patch, _request_timeout=TIMEOUT
                )
            )
        except NotThere as exc:
            raise EngineContainerMissing(f"The Deployment {name} is gone from the cluster.") from exc

    def logs(self, namespace: str, name: str, tail: int, since: datetime | None) -> list[tuple[int, LogLine]]:
        lines: list[tuple[int, LogLine]] = []
        extra: dict[str, Any] = {"tail_lines": tail} if tail else {}
        if since is not None:
            extra["since_seconds"] = max(1, math.ceil((datetime.now(UTC) - since).total_seconds()))
        for replica, pod in enumerate(self._running_pods(namespace, name)):
            try:
                text = _call(
                    lambda pod=pod: self._core.read_namespaced_pod_log(  # type: ignore[misc]
                        pod, namespace, timestamps=True, _request_timeout=TIMEOUT, **extra
                    )
                )
            except NotThere:
                continue  # the pod went away between the listing and the read
            for line in parse_log(str(text or "")):
                if since is None or line.timestamp > since:
                    lines.append((replica, line))
        return lines

    def delete(self, namespace: str, name: str) -> None:
        _quietly_missing(
            lambda: self._apps.delete_namespaced_deployment(name, namespace, _request_timeout=TIMEOUT)
        )
        _quietly_missing(
            lambda: self._core.delete_namespaced_service(name, namespace, _request_timeout=TIMEOUT)
        )

    @staticmethod
    def _create_unless_exists(create: Callable[[], object]) -> bool:
        """True when created, False when it already existed (409 AlreadyExists)."""
        try:
            _call(create)
        except EngineError as exc:
            if isinstance(exc.details, dict) and exc.details.get("status") == 409:
                return False
            raise
        return True

    @staticmethod
    def _must(fn: Callable[[], T]) -> T:
        try:
            return _call(fn)
        except NotThere as exc:
            raise EngineContainerMissing(str(exc)) from exc


def parse_log(text: str) -> list[LogLine]:
    """`timestamps=true` pod logs: an RFC 3339 timestamp, a space, the line."""
    lines: list[LogLine] = []
    for raw in text.splitlines():
        stamp, _, message = raw.partition(" ")
        try:
            when = datetime.fromisoformat(_to_micros(stamp))
        except ValueError:
            continue
        lines.append(LogLine(when if when.tzinfo else when.replace(tzinfo=UTC), "stdout", message))
    return lines


def _to_micros(stamp: str) -> str:
    """2026-01-01T00:00:00.123456789Z → 2026-01-01T00:00:00.123456+00:00 (Python keeps microseconds)."""
    stamp = stamp.replace("Z", "+00:00")
    head, dot, rest = stamp.partition(".")
    if not dot:
        return stamp
    digits = "".join(ch for ch in rest if ch.isdigit())
    zone = rest[len(digits) :]
    return f"{head}.{digits[:6].ljust(6, '0')}{zone}"
