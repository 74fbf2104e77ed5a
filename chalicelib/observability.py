"""Powertools Logger, Metrics and Tracer: one place, shared by the API and the functions.

The Tracer (aws_xray_sdk, which patches botocore) is built on first use, not at import, so
that `import app` stays cheap; it is a no-op outside Lambda.
"""

from __future__ import annotations

import warnings
from functools import lru_cache
from typing import TYPE_CHECKING

from aws_lambda_powertools import Logger, Metrics

if TYPE_CHECKING:
    from aws_lambda_powertools import Tracer

SERVICE = "containerstacks"

logger = Logger(service=SERVICE)
# Lambda tasks (functions/) log through their own logger: in the local stack they run in the API's
# process, and their Lambda context keys must not end up on the API's request lines.
task_logger = Logger(service=f"{SERVICE}-tasks")
metrics = Metrics(namespace="ContainerStacks", service=SERVICE)


@lru_cache(maxsize=1)
def tracer() -> Tracer:
    from aws_lambda_powertools import Tracer

    return Tracer(service=SERVICE)


# With metrics disabled (local and test stages) every flush would warn that nothing was published.
warnings.filterwarnings("ignore", message="No application metrics to publish", category=UserWarning)
