"""Idempotency-Key at the edge, on Powertools' idempotency utility (imported on first use).

The first successful response to (organization, operation, key) is stored for 24 h and replayed
for every retry with the same body; the same key with another body is 422; a retry while the first
request is still running is 409. Errors are not stored: the client may retry them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from chalice.app import Response

from chalicelib.domain.shared.errors import Conflict, IdempotencyKeyReused, ValidationFailed

HEADER = "Idempotency-Key"
KEY_PATTERN = r"^[A-Za-z0-9_.:-]{8,128}$"
_KEY = re.compile(KEY_PATTERN)
REQUEST_SECONDS = 29  # API Gateway's limit: an in-progress record older than this is abandoned
REPLAYED_HEADER = "Idempotent-Replayed"


class _Deadline:
    """Stands in for a Lambda context: a crashed request frees its key after REQUEST_SECONDS."""

    def get_remaining_time_in_millis(self) -> int:
        return REQUEST_SECONDS * 1000


def check_key(key: str) -> str:
    if not _KEY.match(key):
        raise ValidationFailed(
            f"{HEADER} must be 8 to 128 letters, digits or _ . : - (a UUID is a good choice).",
            details={"field": HEADER},
        )
    return key


def once(
    organization_id: str,
    operation: str,
    key: str,
    body: str | bytes | None,
    ttl_seconds: int,
    run: Callable[[], Response],
) -> Response:
    """Run `run` once per (organization, operation, key); replay its stored response afterwards."""
    from aws_lambda_powertools.utilities.idempotency import IdempotencyConfig, idempotent_function
    from aws_lambda_powertools.utilities.idempotency.exceptions import (
        IdempotencyAlreadyInProgressError,
        IdempotencyValidationError,
    )

    from chalicelib.store.idempotency import TenantIdempotencyStore, idempotency_prefix

    config = IdempotencyConfig(
        event_key_jmespath="key",
        payload_validation_jmespath="body",
        raise_on_no_idempotency_key=True,
        expires_after_seconds=ttl_seconds,
    )
    config.register_lambda_context(_Deadline())  # type: ignore[arg-type]  # the one method it calls
    fresh: list[Response] = []

    def execute(request: dict[str, Any]) -> dict[str, Any]:
        response = run()
        fresh.append(response)
        return {
            "status": response.status_code,
            "body": response.body if isinstance(response.body, str) else json.dumps(response.body),
            "headers": {k: v for k, v in response.headers.items() if isinstance(v, str)},
        }

    decorated = idempotent_function(
        execute,
        data_keyword_argument="request",
        persistence_store=TenantIdempotencyStore(),
        config=config,
        key_prefix=idempotency_prefix(organization_id, operation),
    )
    payload = body.decode("utf-8", "replace") if isinstance(body, bytes) else (body or "")
    try:
        stored = decorated(request={"key": key, "body": payload})
    except IdempotencyValidationError as exc:
        raise IdempotencyKeyReused(
            f"This {HEADER} was used before with a different request; use a new key for a new request.",
            details={"field": HEADER},
        ) from exc
    except IdempotencyAlreadyInProgressError as exc:
        raise Conflict(
            f"A request with this {HEADER} is still being processed; retry in a few seconds.",
            details={"field": HEADER},
        ) from exc
    if fresh:
        return fresh[0]
    return Response(
        body=stored["body"],
        status_code=int(stored["status"]),
        headers={**stored["headers"], REPLAYED_HEADER: "true"},
    )
