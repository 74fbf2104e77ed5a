"""The Linode sandbox stub for tests, Linode's own fixtures, and a JSON shape comparer.

`linode_server` (session): one stub on a free 127.0.0.1 port, CS_LINODE_BASE_URL pointing at it (so the wired
CloudProviders reach it). `linode_stub` (per test): that stub emptied (no instances, events, faults), booting
in BOOT_SECONDS; its token is devstack.linode_stub.SANDBOX_TOKEN. Control it in-process (`inject`, `outside`,
`configure`) or over HTTP (/__control, see devstack.linode_http).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest

from devstack import environment
from devstack.linode_http import LinodeServer
from devstack.linode_stub import SANDBOX_TOKEN, LinodeStub

VENDOR = Path(__file__).resolve().parents[3] / "shared" / "vendor" / "linode"
BOOT_SECONDS = 0.3
T = TypeVar("T")


def vendor_fixture(name: str) -> Any:
    """One of Linode's SDK fixtures (../shared/vendor/linode/<name>.json)."""
    return json.loads((VENDOR / f"{name}.json").read_text())


@pytest.fixture(scope="session")
def linode_server() -> Iterator[LinodeServer]:
    """The Linode sandbox stub on a free port for the session; the app's CS_LINODE_BASE_URL points at it."""
    server = LinodeServer(LinodeStub(boot_seconds=BOOT_SECONDS, timeout_seconds=3.0))
    server.start()
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("CS_LINODE_BASE_URL", server.api_url)
            environment.refresh_app_config()
            yield server
        environment.refresh_app_config()
    finally:
        server.stop()


@pytest.fixture
def linode_stub(linode_server: LinodeServer) -> Iterator[LinodeStub]:
    """The session's stub, empty, booting instances in BOOT_SECONDS."""
    stub = linode_server.stub
    stub.reset()
    stub.configure(boot_seconds=BOOT_SECONDS, timeout_seconds=3.0)
    with stub.lock:
        stub.tokens = {SANDBOX_TOKEN}
    yield stub
    stub.reset()


def eventually(probe: Callable[[], T | None], *, within: float = 15.0, every: float = 0.05) -> T:
    """The first truthy value `probe` returns; AssertionError after `within` seconds."""
    deadline = time.monotonic() + within
    while True:
        value = probe()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"still {value!r} after {within} s")
        time.sleep(every)


# ------------------------------------------------------------ JSON shapes
def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def shape_errors(actual: Any, *examples: Any, path: str = "$") -> list[str]:
    """[] when `actual` has the keys and JSON types of one of `examples`, recursively; else what differs.

    Objects need exactly the example's keys; each array item must match one of the example array's items
    (an empty example array accepts any items); null matches anything (Linode's nullable fields are null in
    one fixture and set in another).
    """
    best: list[str] | None = None
    for example in examples:
        found = _compare(actual, example, path)
        if not found:
            return []
        if best is None or len(found) < len(best):
            best = found
    return best or []


def _compare(actual: Any, example: Any, path: str) -> list[str]:
    if actual is None or example is None:
        return []
    kind, expected = _kind(actual), _kind(example)
    if kind != expected:
        return [f"{path}: {kind}, Linode's is {expected}"]
    if kind == "object":
        errors = [f"{path}.{key}: missing" for key in sorted(set(example) - set(actual))]
        errors += [f"{path}.{key}: not in Linode's" for key in sorted(set(actual) - set(example))]
        for key in sorted(set(actual) & set(example)):
            errors += _compare(actual[key], example[key], f"{path}.{key}")
        return errors
    if kind == "array" and example:
        return [e for i, item in enumerate(actual) for e in shape_errors(item, *example, path=f"{path}[{i}]")]
    return []
