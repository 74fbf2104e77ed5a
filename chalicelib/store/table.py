"""The tables: the single main table (discriminated items) and the TTL table for short-lived records.

Table names are bound from settings by `bind_tables`, never at import. Every model class and every
transaction shares the one low-level connection of `connection()`: one botocore client per process
(PynamoDB would build one per model class, each loading the service model on its first call) whose
HTTP pool is reused by warm functions and sized for a threaded local server.
In AWS the API binds a credential provider too (chalicelib.adapters.aws.tenancy): every table request
is then signed with the session of the organization in scope (chalicelib.domain.shared.tenancy).
"""

from __future__ import annotations

import functools
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from typing import Any, ParamSpec, TypeVar

from pynamodb.attributes import (
    DiscriminatorAttribute,
    NumberAttribute,
    TTLAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
)
from pynamodb.connection import Connection, TableConnection
from pynamodb.exceptions import PynamoDBException, TransactWriteError
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model
from pynamodb.transactions import TransactWrite

from chalicelib.domain.shared.errors import StoreUnavailable

P = ParamSpec("P")
R = TypeVar("R")
# DynamoDB's answers that mean "not now" rather than "no": throttling and failures on its side.
TRANSIENT_CODES = frozenset(
    {
        "ProvisionedThroughputExceededException",
        "ThrottlingException",
        "RequestLimitExceeded",
        "InternalServerError",
        "ServiceUnavailable",
    }
)
# Why a transaction was cancelled when the cause was another writer or throttling, not a condition.
TRANSIENT_REASONS = frozenset({"TransactionConflict", "ThrottlingError", "ProvisionedThroughputExceeded"})
# botocore's transport failures, matched by class name (only adapters import botocore).
TRANSPORT_ERRORS = frozenset({"ConnectionError", "HTTPClientError"})
CONFLICT_ATTEMPTS = 3


class HostIndex(GlobalSecondaryIndex["Item"]):
    """GSI1: containers by host (gsi1pk=HOST#<host>, gsi1sk=CONTAINER#<org>#<id>)."""

    class Meta:
        index_name = "gsi1"
        projection = AllProjection()

    gsi1pk = UnicodeAttribute(hash_key=True)
    gsi1sk = UnicodeAttribute(range_key=True)


class SharedConnectionModel(Model):
    """A model whose table connection talks through the process-wide `connection()`."""

    @classmethod
    def _get_connection(cls) -> TableConnection:
        table = super()._get_connection()
        shared = connection()
        if table.connection is not shared:
            with suppress(ValueError):  # another model of the same table added it already
                shared.add_meta_table(table.get_meta_table())
            table.connection = shared
        return table


class Item(SharedConnectionModel):
    """Base of every record in the main table; each capability adds its subclasses (discriminated)."""

    class Meta:
        table_name = "containerstacks"
        billing_mode = "PAY_PER_REQUEST"

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    type = DiscriminatorAttribute()
    gsi1pk = UnicodeAttribute(null=True)
    gsi1sk = UnicodeAttribute(null=True)
    created_at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute()
    by_host = HostIndex()


class EphemeralItem(SharedConnectionModel):
    """Short-lived records with TTL: revoked token ids, login failure counters, idempotency records."""

    class Meta:
        table_name = "containerstacks-ephemeral"
        billing_mode = "PAY_PER_REQUEST"

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    failures = NumberAttribute(default=0)
    window_start = NumberAttribute(default=0)
    next_allowed = NumberAttribute(null=True)
    expires = TTLAttribute()


ALL_TABLES: tuple[type[Model], ...] = (Item, EphemeralItem)
# Enough for every thread of a threaded server (the default, 10, makes a busy local stack reconnect).
MAX_POOL_CONNECTIONS = 64
_connection: Connection | None = None
# A botocore credential provider (tenant-scoped sessions in AWS); None: botocore's default chain.
_credentials: Any = None


def bind_tables(table_name: str, ephemeral_table_name: str, region: str, credentials: Any = None) -> None:
    """Point the models at the deployment's tables (called once by wiring), signing with `credentials`."""
    global _connection, _credentials
    Item.Meta.table_name = table_name
    EphemeralItem.Meta.table_name = ephemeral_table_name
    _credentials = credentials
    for model in ALL_TABLES:
        model.Meta.region = region
        for cls in (model, *_subclasses(model)):
            cls._connection = None  # rebuilt with the new settings on next use
    _connection = None


def connection() -> Connection:
    """The process-wide low-level connection used by transactions (its HTTP pool is reused)."""
    global _connection
    if _connection is None:
        _connection = Connection(
            region=getattr(Item.Meta, "region", None), max_pool_connections=MAX_POOL_CONNECTIONS
        )
    use_bound_credentials(_connection.session)
    return _connection


def bound_credentials() -> Any:
    """The credential provider bound by `bind_tables` (None: botocore's default chain)."""
    return _credentials


def use_bound_credentials(botocore_session: Any) -> None:
    """Make `botocore_session` sign with the bound credential provider; call before it creates a client."""
    if _credentials is not None and getattr(botocore_session, "_cs_credentials", None) is not _credentials:
        botocore_session.register_component("credential_provider", _credentials)
        botocore_session._cs_credentials = _credentials


def _subclasses(model: type[Model]) -> list[type[Model]]:
    found: list[type[Model]] = []
    for sub in model.__subclasses__():
        found += [sub, *_subclasses(sub)]
    return found


def is_condition_failure(exc: Exception) -> bool:
    return getattr(exc, "cause_response_code", None) == "ConditionalCheckFailedException"


def cancellation_codes(exc: BaseException) -> set[str]:
    """The reasons a cancelled transaction gives (empty for anything else)."""
    reasons = getattr(exc, "cancellation_reasons", None) or []
    return {reason.code for reason in reasons if reason is not None and reason.code}


def is_unavailable(exc: BaseException) -> bool:
    """True when DynamoDB throttled, failed on its side, cancelled for a concurrent writer, or could not
    be reached: retrying later may work. False for conditions, validation and missing items."""
    if not isinstance(exc, PynamoDBException):
        return False
    codes = cancellation_codes(exc)
    if codes:
        return bool(codes & TRANSIENT_REASONS) and "ConditionalCheckFailed" not in codes
    code = exc.cause_response_code
    if code in TRANSIENT_CODES:
        return True
    response = getattr(exc.cause, "response", None)
    status = (
        response.get("ResponseMetadata", {}).get("HTTPStatusCode") if isinstance(response, dict) else None
    )
    if isinstance(status, int) and status >= 500:
        return True
    return code is None and any(k.__name__ in TRANSPORT_ERRORS for k in type(exc.cause).__mro__)


def store_call(fn: Callable[P, R]) -> Callable[P, R]:
    """Repository methods: a transaction cancelled only because another transaction touched the same
    items runs again (it changed nothing); throttling, service and transport failures that remain
    become StoreUnavailable, one stable error name for callers and workflow Retry rules."""

    @functools.wraps(fn)
    def call(*args: P.args, **kwargs: P.kwargs) -> R:
        for attempt in range(CONFLICT_ATTEMPTS):
            try:
                return fn(*args, **kwargs)
            except PynamoDBException as exc:
                if not is_unavailable(exc):
                    raise
                if "TransactionConflict" in cancellation_codes(exc) and attempt + 1 < CONFLICT_ATTEMPTS:
                    time.sleep(random.uniform(0.02, 0.1) * (attempt + 1))
                    continue
                raise StoreUnavailable(
                    "The database is busy or unreachable right now; try again shortly."
                ) from exc
        raise AssertionError("unreachable")

    return call


class Transaction:
    """A TransactWrite whose cancellation reasons are read by the name given to each operation.

    PynamoDB sends condition checks, then deletes, then puts, then updates, whatever order they were
    added in; DynamoDB's reasons follow what was sent, so names are kept per kind in the same order.
    """

    def __init__(self, tx: TransactWrite) -> None:
        self.tx = tx
        self._names: dict[str, list[str]] = {"check": [], "delete": [], "put": [], "update": []}

    @property
    def names(self) -> list[str]:
        """Operation names in the order DynamoDB receives (and answers) them."""
        return [name for kind in ("check", "delete", "put", "update") for name in self._names[kind]]

    def save(self, name: str, item: Model, condition: Any = None) -> None:
        self._names["put"].append(name)
        self.tx.save(item, condition=condition)

    def update(self, name: str, item: Model, actions: list[Any], condition: Any = None) -> None:
        self._names["update"].append(name)
        self.tx.update(item, actions=actions, condition=condition)

    def delete(self, name: str, item: Model, condition: Any = None) -> None:
        self._names["delete"].append(name)
        self.tx.delete(item, condition=condition)

    def check(self, name: str, model: type[Model], hash_key: str, range_key: str, condition: Any) -> None:
        self._names["check"].append(name)
        self.tx.condition_check(model, hash_key, range_key, condition=condition)


class TransactionCancelled(Exception):
    """Which named operations failed their condition (empty: cancelled for another reason)."""

    def __init__(self, failed: set[str], cause: TransactWriteError) -> None:
        super().__init__(f"transaction cancelled: {sorted(failed) or 'no condition failed'}")
        self.failed = failed
        self.cause = cause


@contextmanager
def transaction() -> Iterator[Transaction]:
    """One TransactWrite. Raises TransactionCancelled naming the operations whose condition failed;
    other errors (throttling, conflicts with a concurrent transaction) propagate as TransactWriteError
    when no condition failed.
    """
    try:
        with TransactWrite(connection=connection()) as raw:
            tx = Transaction(raw)
            yield tx
    except TransactWriteError as exc:
        reasons = exc.cancellation_reasons or []
        failed = {
            name
            for name, reason in zip(tx.names, reasons, strict=False)
            if reason is not None and reason.code == "ConditionalCheckFailed"
        }
        if failed:
            raise TransactionCancelled(failed, exc) from exc
        raise
