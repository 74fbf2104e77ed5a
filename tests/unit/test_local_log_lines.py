"""What `make dev` prints for a person: a line per request and per workflow step; tracebacks for bugs only."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any

import pytest

from chalicelib.domain.shared.errors import EngineUnavailable, ImageNotFound
from chalicelib.observability import HumanFormatter, human_message
from devstack import lambda_dispatch
from functions import registry

STEP = "DevstackLogProbe"


def _record(message: str, extra: dict[str, Any], level: int = logging.INFO) -> logging.LogRecord:
    record = logging.LogRecord("containerstacks", level, __file__, 1, message, (), None)
    record.__dict__.update(extra)
    return record


def test_a_request_reads_method_path_status_and_milliseconds() -> None:
    # Given the request record the app writes / When it is formatted for a person
    extra = {"method": "GET", "path": "/api/containers/{id}", "request_path": "/api/containers/c1"}
    line = HumanFormatter().format(_record("request", {**extra, "status": 200, "duration_ms": 12}))
    # Then it is one line naming the real path
    assert line.endswith("GET /api/containers/c1 200 12 ms")
    assert "\n" not in line


def test_other_records_keep_their_fields_on_the_line() -> None:
    # Given a warning with fields / When it is formatted
    line = HumanFormatter().format(
        _record("provisioning failed", {"container_id": "c1", "reason": "no image"}, logging.WARNING)
    )
    # Then the level, the message and the fields are on one line
    assert line.endswith("WARNING provisioning failed container_id=c1 reason=no image")
    assert human_message("started", {}) == "started"


@dataclass
class _Function:
    function_name: str


class _Bug(Exception):
    pass


def _raise(error: Exception) -> Any:
    def handler(event: Any, context: Any) -> Any:
        raise error

    return handler


@pytest.fixture
def probe(monkeypatch: pytest.MonkeyPatch) -> Any:
    """A registered task whose handler raises what the test sets."""
    monkeypatch.setitem(registry.FUNCTION_NAMES, STEP, f"cs-{STEP}")
    monkeypatch.setitem(registry.FUNCTIONS, STEP, "unused:handler")

    def set_error(error: Exception) -> None:
        monkeypatch.setattr(registry, "resolve", lambda key: _raise(error))

    return set_error


@pytest.mark.parametrize(
    "error",
    [ImageNotFound("Image 'x' is not on the host."), EngineUnavailable("The engine did not answer.")],
)
def test_an_expected_failure_of_a_step_is_one_line_with_its_reason(
    probe: Any, error: Exception, caplog: pytest.LogCaptureFixture
) -> None:
    # Given a step that fails the way users and retries expect
    probe(error)
    # When moto invokes it
    with caplog.at_level(logging.INFO, logger=lambda_dispatch.__name__):
        payload, errored, _ = lambda_dispatch._invoke_in_process(_Function(f"cs-{STEP}"), "{}")
    # Then the state machine still sees the error type, and the log is its reason without a traceback
    assert errored
    assert json.loads(payload)["errorType"] == type(error).__name__
    (record,) = caplog.records
    assert record.exc_info is None
    assert str(error) in record.getMessage()


def test_a_bug_in_a_step_keeps_its_traceback(probe: Any, caplog: pytest.LogCaptureFixture) -> None:
    # Given a step that raises something no one expects / When moto invokes it
    probe(_Bug("boom"))
    with caplog.at_level(logging.INFO, logger=lambda_dispatch.__name__):
        lambda_dispatch._invoke_in_process(_Function(f"cs-{STEP}"), "{}")
    # Then the log carries the traceback
    (record,) = caplog.records
    assert record.levelno == logging.ERROR
    assert record.exc_info is not None
