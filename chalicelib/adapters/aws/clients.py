"""boto3 clients, one per service and region for the life of the process (warm Lambdas reuse them).

boto3 is imported here, on first use, so that `import app` stays cheap.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any


@lru_cache(maxsize=16)
def client(service: str, region: str) -> Any:
    import boto3

    return boto3.session.Session().client(service, region_name=region)  # type: ignore[call-overload]


def is_transient(exc: Exception) -> bool:
    """Transport failures and 5xx answers: worth retrying, never the caller's fault."""
    from botocore.exceptions import BotoCoreError, ClientError

    if isinstance(exc, BotoCoreError):
        return True
    return (
        isinstance(exc, ClientError)
        and exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0) >= 500
    )
