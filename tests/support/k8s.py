"""The Kubernetes sandbox stub for tests, and a helper that reads its answers with the official client.

`k8s_server` (session): one stub on a free 127.0.0.1 port. `k8s_stub` (per test): that stub emptied (no
objects, pods, recorded requests or missing images; pods run at once); its token is
devstack.k8s_stub.SANDBOX_TOKEN. Register it as a cluster with `sandbox_cluster(admin, server)`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from devstack.k8s_http import KubeServer
from devstack.k8s_stub import SANDBOX_TOKEN, KubeStub


@pytest.fixture(scope="session")
def k8s_server() -> Iterator[KubeServer]:
    server = KubeServer(KubeStub())
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def k8s_stub(k8s_server: KubeServer) -> Iterator[KubeStub]:
    stub = k8s_server.stub
    stub.reset()
    with stub.lock:
        stub.tokens = {SANDBOX_TOKEN}
    yield stub
    stub.reset()


class _Response:
    """What ApiClient.deserialize reads (a RESTResponse's `data`)."""

    def __init__(self, body: Any) -> None:
        self.data = body if isinstance(body, str) else json.dumps(body)


def as_model(body: Any, model: str) -> Any:
    """`body` read by the kubernetes client as `model` (V1Deployment, V1Status, ...); its models refuse a
    missing required field (client-side validation) and ignore keys they do not know, so `unknown_keys`
    is checked too."""
    from kubernetes import client

    return client.ApiClient().deserialize(_Response(body), model)


def unknown_keys(body: Any, model: str) -> list[str]:
    """Keys of `body` that the client's `model` does not know (found by a round trip through the model)."""
    from kubernetes import client

    api = client.ApiClient()
    again = api.sanitize_for_serialization(as_model(body, model))
    return _missing(body, again, "$")


def _missing(original: Any, again: Any, path: str) -> list[str]:
    if isinstance(original, dict):
        if not isinstance(again, dict):
            return [path]
        found: list[str] = []
        for key, value in original.items():
            if key not in again:
                found.append(f"{path}.{key}")
            else:
                found += _missing(value, again[key], f"{path}.{key}")
        return found
    if isinstance(original, list) and isinstance(again, list):
        return [
            e
            for i, (a, b) in enumerate(zip(original, again, strict=False))
            for e in _missing(a, b, f"{path}[{i}]")
        ]
    return []
