"""The one decorator every non-HTTP Lambda handler wears: Powertools logging (with the Lambda context),
metrics (cold start included), tracing, and the event parsed into a model before the handler runs."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from pydantic import BaseModel

from chalicelib.observability import metrics, tracer
from chalicelib.observability import task_logger as logger

E = TypeVar("E", bound=BaseModel)


def lambda_handler(model: type[E]) -> Callable[[Callable[[E], Any]], Callable[[dict[str, Any], Any], Any]]:
    """Wrap `handler(event_model)` as `handler(event, context)` for Lambda."""

    def wrap(handler: Callable[[E], Any]) -> Callable[[dict[str, Any], Any], Any]:
        from aws_lambda_powertools.metrics.functions import is_metrics_disabled
        from aws_lambda_powertools.utilities.parser import event_parser

        @tracer().capture_lambda_handler(capture_response=False)
        # Powertools prints the cold-start metric even where metrics are disabled (local, test).
        @metrics.log_metrics(capture_cold_start_metric=not is_metrics_disabled())
        @logger.inject_lambda_context(clear_state=True)
        @event_parser(model=model)
        @functools.wraps(handler)
        def run(event: E, context: Any) -> Any:
            return handler(event)

        wrapped: Callable[[dict[str, Any], Any], Any] = run
        return wrapped

    return wrap
