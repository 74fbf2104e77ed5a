"""Drive the Chalice app in-process (API Gateway emulated by chalice.test) as a user would."""

from __future__ import annotations

import contextlib
import json
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

PASSWORD = "a good long password"


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: Any
    content: bytes = b""  # the raw body (PDFs and other non-JSON answers)


class Api:
    """The HTTP API, called through Chalice's local gateway."""

    def __init__(self) -> None:
        from chalice.test import Client

        from app import app

        self._client = Client(app, stage_name="test")
        self.org_ids: list[str] = []

    def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        token: str | None = None,
        headers: dict[str, str] | None = None,
        raw: bytes | None = None,
    ) -> Reply:
        sent = {"Content-Type": "application/json", **(headers or {})}
        if token:
            sent["Authorization"] = f"Bearer {token}"
        payload = raw if raw is not None else (json.dumps(body).encode() if body is not None else b"")
        response = self._client.http.request(method, path, headers=sent, body=payload)
        content = response.body or b""
        headers = {k.lower(): v for k, v in response.headers.items()}
        is_json = "json" in headers.get("content-type", "application/json")
        return Reply(
            response.status_code, headers, json.loads(content) if content and is_json else None, content
        )

    def user(self, name: str = "Ann") -> User:
        email = f"{name.lower()}-{uuid.uuid4().hex[:8]}@example.com"
        registered = self.call(
            "POST", "/api/auth/register", {"email": email, "password": PASSWORD, "name": name}
        )
        assert registered.status == 201, registered.body
        login = self.call("POST", "/api/auth/login", {"email": email, "password": PASSWORD})
        assert login.status == 200, login.body
        self.org_ids.append(registered.body["default_organization_id"])
        return User(
            self,
            email,
            login.body["token"],
            registered.body["id"],
            registered.body["default_organization_id"],
        )

    def admin(self) -> User:

        email = f"admin-{uuid.uuid4().hex[:8]}@example.com"
        from chalicelib.wiring.accounts import get_accounts

        get_accounts().ensure_admin(email, PASSWORD)
        login = self.call("POST", "/api/auth/login", {"email": email, "password": PASSWORD})
        body = login.body
        return User(self, email, body["token"], body["user"]["id"], body["user"]["default_organization_id"])


@dataclass
class User:
    api: Api
    email: str
    token: str
    id: str
    org_id: str

    def call(self, method: str, path: str, body: Any = None, **kwargs: Any) -> Reply:
        return self.api.call(method, path, body, token=self.token, **kwargs)

    def wait_for(
        self, container_id: str, statuses: tuple[str, ...] = ("running", "error"), timeout: float = 60.0
    ) -> dict[str, Any]:
        """Poll the record until it leaves `provisioning` (as a client would)."""
        deadline = time.monotonic() + timeout
        while True:
            reply = self.call("GET", f"/api/containers/{container_id}")
            assert reply.status == 200, reply.body
            if reply.body["status"] in statuses:
                return dict(reply.body)
            if time.monotonic() > deadline:
                pytest.fail(f"container stayed {reply.body['status']} for {timeout}s")
            time.sleep(0.2)


@pytest.fixture
def api(aws: Any, clean_tables: None) -> Iterator[Api]:
    """The app against this session's moto, with fresh tables and fresh service objects."""
    from chalicelib import wiring

    wiring.reset()
    client = Api()
    yield client
    wait_for_workflows(aws)
    remove_engine_leftovers(client.org_ids)
    wiring.reset()


def wait_for_workflows(aws: Any, timeout: float = 60.0) -> None:
    """Let running state machine executions finish, so none creates a container after the clean-up."""
    sfn = aws.client("stepfunctions")
    deadline = time.monotonic() + timeout
    for arn in aws.resources.state_machines.values():
        while time.monotonic() < deadline:
            running = sfn.list_executions(stateMachineArn=arn, statusFilter="RUNNING")["executions"]
            if not running:
                break
            time.sleep(0.2)


def remove_engine_leftovers(org_ids: list[str]) -> None:
    """Remove every engine container, volume and network the test's organizations own (even after a failure).

    A workflow may still be creating a container while this runs, so a volume that is still in use is
    retried after removing the containers again.
    """
    if not org_ids:
        return
    import docker
    import docker.errors

    from tests.support.images import docker_url

    client = docker.DockerClient(base_url=docker_url(), timeout=60)
    try:
        for attempt in range(5):
            try:
                for org_id in org_ids:
                    for found in client.containers.list(
                        all=True, filters={"label": f"cs.organization={org_id}"}
                    ):
                        found.remove(force=True)
                    for volume in client.volumes.list(filters={"name": f"cs-{org_id}-"}):
                        volume.remove(force=True)
                    for network in client.networks.list(filters={"label": f"cs.organization={org_id}"}):
                        network.remove()
                return
            except docker.errors.APIError:
                if attempt == 4:
                    raise
                time.sleep(1)
    finally:
        client.close()


@pytest.fixture
def default_host(api: Api, docker_url: str) -> str:
    """The local engine registered as a container host (as `make dev` does)."""

    from chalicelib.wiring.hosts import get_hosts

    return get_hosts().ensure_default_host(docker_url).id


@contextlib.contextmanager
def concurrent_requests() -> Iterator[None]:
    """Let several threads call the in-process app at once (tests of races only).

    In Lambda a process serves one request at a time, so Chalice keeps the current request on the app
    object and chalice.test swaps `os.environ` around each call; from several threads both would mix
    requests up. Here each thread keeps its own request, and the stage environment (already set by the
    `aws` fixture) is left in place.
    """
    from chalice.app import Chalice
    from chalice.test import TestHTTPClient

    from app import app

    local = threading.local()

    class PerThreadRequest(Chalice):
        current_request = property(
            lambda self: getattr(local, "request", None), lambda self, v: setattr(local, "request", v)
        )
        lambda_context = property(
            lambda self: getattr(local, "context", None), lambda self, v: setattr(local, "context", v)
        )

    original = app.__class__
    saved = {name: app.__dict__.pop(name, None) for name in ("current_request", "lambda_context")}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(TestHTTPClient, "_patched_env_vars", lambda self, env: contextlib.nullcontext())
        app.__class__ = PerThreadRequest
        try:
            yield
        finally:
            app.__class__ = original
            app.__dict__.update(saved)
