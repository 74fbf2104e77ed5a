"""Powertools Logger, Metrics and Tracer: one place, shared by the API and the functions.

The Tracer (aws_xray_sdk, which patches botocore) is built on first use, not at import, so
that `import app` stays cheap; it is a no-op outside Lambda.

Logs are JSON, as CloudWatch wants them. CS_LOG_FORMAT=human (the local stack sets it) makes them
one readable line per record instead, for a person at a terminal: `GET /api/containers 200 12 ms`.
"""

from __future__ import annotations

import logging
import os
import time
import warnings
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.logging.formatter import LambdaPowertoolsFormatter

if TYPE_CHECKING:
    from aws_lambda_powertools import Tracer

SERVICE = "containerstacks"
LOG_FORMAT_ENV = "CS_LOG_FORMAT"
_RECORD_FIELDS = frozenset(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {"message", "asctime"}


class HumanFormatter(LambdaPowertoolsFormatter):
    """One line per record: time, level (above INFO), message and its extra fields; a request record
    reads `METHOD path status ms`. Keys appended to the logger are kept (Powertools keeps them in
    its formatter) but not printed: they repeat on every line."""

    def format(self, record: logging.LogRecord) -> str:
        extra = {name: value for name, value in record.__dict__.items() if name not in _RECORD_FIELDS}
        stamp = time.strftime("%H:%M:%S", time.localtime(record.created))
        level = "" if record.levelno <= logging.INFO else f"{record.levelname} "
        line = f"{stamp} {level}{human_message(record.getMessage(), extra)}"
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return line


def human_message(message: str, extra: dict[str, Any]) -> str:
    """The request line, or the message with its extra fields as key=value."""
    if message == "request" and {"method", "status"} <= extra.keys():
        path = extra.get("request_path") or extra.get("path")
        return f"{extra['method']} {path} {extra['status']} {extra.get('duration_ms', '?')} ms"
    fields = " ".join(f"{name}={value}" for name, value in extra.items())
    return f"{message} {fields}" if fields else message


def _formatter() -> LambdaPowertoolsFormatter | None:
    return HumanFormatter() if os.environ.get(LOG_FORMAT_ENV, "json").lower() == "human" else None


logger = Logger(service=SERVICE, logger_formatter=_formatter())
# Lambda tasks (functions/) log through their own logger: in the local stack they run in the API's
# process, and their Lambda context keys must not end up on the API's request lines.
task_logger = Logger(service=f"{SERVICE}-tasks", logger_formatter=_formatter())
metrics = Metrics(namespace="ContainerStacks", service=SERVICE)


@lru_cache(maxsize=1)
def tracer() -> Tracer:
    from aws_lambda_powertools import Tracer

    return Tracer(service=SERVICE)


# With metrics disabled (local and test stages) every flush would warn that nothing was published.
warnings.filterwarnings("ignore", message="No application metrics to publish", category=UserWarning)
