"""API Gateway for parallel callers from chosen client addresses, and a count of the password checks made.

chalice.test's client keeps the current request on the app object and swaps os.environ per call, so it
cannot serve threads. Here the app keeps the request per thread (as Chalice's own threaded local server
makes it do, like one Lambda instance per request in AWS), and each call says which `sourceIp` API Gateway
would have seen.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from tests.support.api import Api, Reply
from tests.support.bursts import Burst

DEFAULT_ADDRESS = "192.0.2.10"


class Gateway:
    """Calls the in-process app as API Gateway would, from any client address, from any thread."""

    def __init__(self, app: Any) -> None:
        from chalice.config import Config
        from chalice.local import LocalGateway

        from devstack import REPO_ROOT
        from devstack.environment import chalice_config_file

        config = Config(
            chalice_stage="test",
            user_provided_params={"chalice_app": app, "project_dir": str(REPO_ROOT)},
            config_from_disk=chalice_config_file(),
        )

        class AddressedGateway(LocalGateway):  # type: ignore[misc]
            def _generate_lambda_event(
                self, method: str, path: str, headers: dict[str, str], body: bytes | None
            ) -> Any:
                address = headers.pop("x-test-source-ip")
                event = super()._generate_lambda_event(method, path, headers, body)
                event["requestContext"]["identity"]["sourceIp"] = address
                return event

        self._gateway = AddressedGateway(app, config)

    def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        token: str | None = None,
        address: str = DEFAULT_ADDRESS,
    ) -> Reply:
        from chalice.test import HTTPResponse

        headers = {"content-type": "application/json", "x-test-source-ip": address}
        if token:
            headers["authorization"] = f"Bearer {token}"
        payload = json.dumps(body).encode() if body is not None else b""
        response = HTTPResponse.create_from_dict(self._gateway.handle_request(method, path, headers, payload))
        text = response.body.decode() if response.body else ""
        return Reply(
            response.status_code,
            {k.lower(): v for k, v in response.headers.items()},
            json.loads(text) if text else None,
        )

    def login(self, email: str, password: str, address: str = DEFAULT_ADDRESS) -> Reply:
        return self.call("POST", "/api/auth/login", {"email": email, "password": password}, address=address)


@pytest.fixture
def gateway(api: Api) -> Iterator[Gateway]:
    """The app of `api` behind a gateway that serves threads (the request is kept per thread meanwhile)."""
    from chalice.local import LocalChalice

    from app import app

    original = app.__class__
    if not isinstance(app, LocalChalice):
        app.__class__ = type("LocalChalice", (LocalChalice, original), {})
    try:
        yield Gateway(app)
    finally:
        app.__class__ = original


@pytest.fixture
def burst(monkeypatch: pytest.MonkeyPatch) -> Burst:
    """A Burst whose `checks` counts every argon2 password check (held until the burst has arrived)."""
    from chalicelib.adapters.crypto.passwords import Argon2PasswordHasher

    burst = Burst()
    verify = Argon2PasswordHasher.verify

    def counted(self: Argon2PasswordHasher, password_hash: str | None, password: str) -> bool:
        burst.hold_check()
        return verify(self, password_hash, password)

    monkeypatch.setattr(Argon2PasswordHasher, "verify", counted)
    return burst
