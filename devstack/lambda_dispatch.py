"""Runs moto's Lambda invocations on the real handlers of `functions/`, in this process.

moto's Lambda would start a Docker container per invocation; instead the function name is
mapped back to its registry key and the handler is called directly. A raised exception
becomes Lambda's error payload ({"errorType", "errorMessage"}), which is what Step
Functions matches against `ErrorEquals` in Retry and Catch.

Each invocation is one log line: state machine, step, outcome. An expected outcome (a domain error
a user can act on, or a transient one the state machine retries) is its reason on that line; any
other exception is a bug and gets its traceback.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

logger = logging.getLogger(__name__)


def install() -> None:
    """Replace moto's Docker-backed invocation with in-process dispatch (idempotent)."""
    from moto.awslambda.models import LambdaFunction

    # moto offers no hook for running Lambda code; replacing the method is the only way in.
    LambdaFunction._invoke_lambda = _invoke_in_process  # type: ignore[method-assign,assignment]


@dataclass(frozen=True)
class LambdaContext:
    """What Lambda passes a handler as its context (the fields Powertools reads)."""

    function_name: str
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    memory_limit_in_mb: int = 512
    function_version: str = "$LATEST"

    @property
    def invoked_function_arn(self) -> str:
        return f"arn:aws:lambda:us-east-1:123456789012:function:{self.function_name}"

    def get_remaining_time_in_millis(self) -> int:
        return 900_000


def invoke_handler(key: str, event: object) -> object:
    """Call the registered handler for `key` with `event` and a Lambda-like context."""
    from functions import registry

    handler = registry.resolve(key)
    if not callable(handler):
        raise TypeError(f"{registry.FUNCTIONS[key]} is not callable")
    return handler(event, LambdaContext(registry.FUNCTION_NAMES[key]))


def registry_key(function_name: str) -> str | None:
    """The registry key deployed under `function_name`, if any."""
    from functions import registry

    return next((key for key, name in registry.FUNCTION_NAMES.items() if name == function_name), None)


def _invoke_in_process(function: Any, event: object = None) -> tuple[str, bool, str]:
    """Stand-in for moto's LambdaFunction._invoke_lambda: (payload, errored, logs)."""
    name: str = function.function_name
    key = registry_key(name)
    if key is None:
        return _error("FunctionNotRegistered", f"{name} is not in functions.registry"), True, ""
    step = workflow_step(key)
    began = time.perf_counter()
    try:
        result = invoke_handler(key, {} if event in (None, "{}") else event)
    except Exception as exc:
        if is_expected(exc):
            logger.info("%s: %s: %s", step, type(exc).__name__, exc)
        else:
            logger.error("%s: %s (a bug)", step, type(exc).__name__, exc_info=True)
        return _error(type(exc).__name__, str(exc)), True, ""
    logger.info("%s: ok (%d ms)", step, (time.perf_counter() - began) * 1000)
    try:
        return json.dumps(result), False, ""
    except (TypeError, ValueError) as exc:
        return _error("Runtime.MarshalError", f"Unable to marshal response: {exc}"), True, ""


def is_expected(exc: Exception) -> bool:
    """A domain error below 500 (bad image, port in use, ...) or a transient one (retried)."""
    from chalicelib.domain.shared.errors import DomainError, ServiceUnavailable

    return isinstance(exc, ServiceUnavailable) or (isinstance(exc, DomainError) and exc.status < 500)


def workflow_step(key: str) -> str:
    """`provision-container > Create engine containers` for a task function; the key when no state
    machine uses it."""
    return _steps().get(key, key)


_RESOURCE = re.compile(r"^\$\{(\w+)Arn\}$")


@lru_cache(maxsize=1)
def _steps() -> dict[str, str]:
    from devstack import REPO_ROOT
    from functions import registry

    steps: dict[str, str] = {}
    for machine, path in registry.STATE_MACHINES.items():
        definition = json.loads((REPO_ROOT / "statemachines" / path).read_text())
        for state, body in definition.get("States", {}).items():
            match = _RESOURCE.match(str(body.get("Resource", "")))
            if match:
                steps.setdefault(match.group(1), f"{machine} > {state}")
    return steps


def _error(error_type: str, message: str) -> str:
    return json.dumps({"errorType": error_type, "errorMessage": message})
