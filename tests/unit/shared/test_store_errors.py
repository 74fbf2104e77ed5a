"""The store reports DynamoDB's "not now" answers as StoreUnavailable, one name workflows retry on."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError, EndpointConnectionError
from pynamodb.exceptions import CancellationReason, GetError, PutError, TransactWriteError, VerboseClientError

from chalicelib.domain.shared.errors import ServiceUnavailable, StoreUnavailable
from chalicelib.store.table import store_call


def client_error(code: str, status: int = 400) -> ClientError:
    response: Any = {"Error": {"Code": code, "Message": code}, "ResponseMetadata": {"HTTPStatusCode": status}}
    return ClientError(response, "Op")


def cancelled(*reasons: str | None) -> TransactWriteError:
    cause = VerboseClientError(
        {"Error": {"Code": "TransactionCanceledException", "Message": "cancelled"}},
        "TransactWriteItems",
        cancellation_reasons=[CancellationReason(code=r) if r else None for r in reasons],
    )
    return TransactWriteError("Failed to write transaction items", cause)


def raising(*errors: Exception) -> tuple[Any, list[int]]:
    calls: list[int] = []

    @store_call
    def operation() -> str:
        calls.append(1)
        if len(calls) <= len(errors):
            raise errors[len(calls) - 1]
        return "done"

    return operation, calls


@pytest.mark.parametrize(
    "error",
    [
        GetError("throttled", client_error("ProvisionedThroughputExceededException")),
        PutError("throttled", client_error("ThrottlingException")),
        GetError("limit", client_error("RequestLimitExceeded")),
        GetError("5xx", client_error("InternalServerError", 500)),
        GetError("5xx", client_error("SomethingNew", 503)),
        GetError("down", EndpointConnectionError(endpoint_url="http://127.0.0.1:1")),
        cancelled(None, "ThrottlingError"),
    ],
    ids=["throughput", "throttling", "request-limit", "internal", "any-5xx", "unreachable", "tx-throttled"],
)
def test_transient_store_failures_become_store_unavailable(error: Exception) -> None:
    operation, _ = raising(error)
    with pytest.raises(StoreUnavailable) as caught:
        operation()
    assert isinstance(caught.value, ServiceUnavailable) and caught.value.status == 503


@pytest.mark.parametrize(
    "error",
    [
        PutError("condition", client_error("ConditionalCheckFailedException")),
        GetError("bad", client_error("ValidationException")),
        cancelled("ConditionalCheckFailed", "TransactionConflict"),
    ],
    ids=["condition", "validation", "tx-condition"],
)
def test_permanent_store_failures_are_not_disguised(error: Exception) -> None:
    operation, _ = raising(error)
    with pytest.raises(type(error)):
        operation()


def test_a_transaction_cancelled_by_a_concurrent_one_runs_again() -> None:
    operation, calls = raising(cancelled("TransactionConflict", None))
    assert operation() == "done" and len(calls) == 2


def test_a_transaction_that_keeps_conflicting_is_store_unavailable() -> None:
    operation, calls = raising(*[cancelled("TransactionConflict")] * 5)
    with pytest.raises(StoreUnavailable):
        operation()
    assert len(calls) == 3
