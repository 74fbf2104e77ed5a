"""The workflow port: start a named Step Functions state machine."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol


class Workflows(Protocol):
    """Starts executions of the deployment's state machines, by registry name.

    A repeated execution name is a no-op (idempotent start). Raises ServiceUnavailable when the
    workflow service does not answer, and KeyError for a name the deployment does not have.
    """

    def start(self, name: str, execution_name: str, payload: Mapping[str, object]) -> str:
        """Start `name` as `execution_name` with `payload`; returns the execution ARN."""
        ...
