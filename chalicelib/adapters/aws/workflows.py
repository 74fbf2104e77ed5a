"""StepFunctionsWorkflows: starts any registered state machine by name with a deterministic execution name."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping

from chalicelib.adapters.aws.clients import client, is_transient
from chalicelib.domain.shared.errors import ServiceUnavailable


class StepFunctionsWorkflows:
    """Implements the Workflows port. A repeated execution name is a no-op (returns the same ARN).

    Raises ConfigurationError for a state machine the deployment does not have, ServiceUnavailable when Step
    Functions does not answer.
    """

    def __init__(self, arn_for: Callable[[str], str], region: str) -> None:
        self._arn_for = arn_for
        self._region = region

    def start(self, name: str, execution_name: str, payload: Mapping[str, object]) -> str:
        arn = self._arn_for(name)
        sfn = client("stepfunctions", self._region)
        try:
            response = sfn.start_execution(
                stateMachineArn=arn, name=execution_name, input=json.dumps(payload)
            )
        except sfn.exceptions.ExecutionAlreadyExists:
            return f"{arn.replace(':stateMachine:', ':execution:')}:{execution_name}"
        except Exception as exc:
            if is_transient(exc):
                raise ServiceUnavailable("The workflow service did not answer; try again.") from exc
            raise
        return str(response["executionArn"])
