"""boto3 clients pointed at the local moto endpoint."""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Literal

import boto3

LOCAL_CREDENTIAL = "testing"
Service = Literal["dynamodb", "s3", "kms", "iam", "lambda", "stepfunctions"]


@lru_cache(maxsize=32)
def local_client(service: Service, endpoint: str, region: str) -> Any:
    """A low-level boto3 client for `service` talking to the moto server at `endpoint`; one per
    arguments and process (clients are thread-safe, and building one costs a tenth of a second)."""
    session = boto3.session.Session(
        aws_access_key_id=LOCAL_CREDENTIAL,
        aws_secret_access_key=LOCAL_CREDENTIAL,
        region_name=region,
    )
    return session.client(service, endpoint_url=endpoint)
