"""Costs of moto's DynamoDB that the local stack does not pay (profiled under load, issue 6 §4).

1. TransactWriteItems deep-copies every table it touches before it starts, so that it can put the
   copies back when the transaction is cancelled: a transaction costs as much as the whole table.
   Here only the items the transaction names are copied, and put back on failure. This is only safe
   while no other request runs at the same time, so it runs under devstack.moto_guard's lock.
2. Every answer is serialised by walking botocore's output shape, attribute by attribute (a Query of
   twenty items spends most of its time there). DynamoDB answers in plain JSON whose item values are
   already in wire form, so a successful item operation's result is dumped with `json.dumps`
   (binary values base64, as the shape-driven serialiser writes them). Errors and every other
   operation keep moto's serialiser.
3. A Query on the table's own key compares every item of the table with the partition key; here it
   looks at that partition's items only (index queries are left as they are).

4. This process's own SDK calls to the moto server's DynamoDB (the app's, through PynamoDB) went
   over a socket to a thread of the threaded server, through werkzeug, Flask and moto's dispatcher,
   to the same handler. `InProcessDynamoDB` answers them with that handler directly, in the calling
   thread, as moto's own decorator mode does (moto.core.botocore_stubber); the request, the handler,
   its lock and the answer are the same, and other processes still reach DynamoDB over HTTP.

And one of its Step Functions: every Lambda task built a new boto3 client (a tenth of a second on a
busy machine, and a new connection) before invoking its function; `speed_up_step_functions()` keeps
one client per region and moto port.

`speed_up_dynamodb()` and `speed_up_step_functions()` are idempotent; MotoServer.start() calls them
(local stack, tests, benchmarks) and registers its endpoint with `IN_PROCESS`.
"""

from __future__ import annotations

import base64
import copy
import json
import threading
from collections.abc import Callable
from datetime import datetime
from typing import Any

from devstack.moto_guard import DYNAMODB_LOCK

_MARK = "_containerstacks_fast"
PLAIN_JSON_OPERATIONS = frozenset(
    {
        "GetItem",
        "PutItem",
        "UpdateItem",
        "DeleteItem",
        "Query",
        "Scan",
        "BatchGetItem",
        "BatchWriteItem",
        "TransactGetItems",
        "TransactWriteItems",
    }
)
JSON_CONTENT_TYPE = "application/x-amz-json-1.0"


class InProcessDynamoDB:
    """botocore `before-send` handler: a DynamoDB request to a registered endpoint is answered by moto's
    handler in this thread (None, i.e. send it over HTTP, for anything else)."""

    def __init__(self) -> None:
        self._endpoints: tuple[str, ...] = ()

    def add(self, endpoint: str) -> None:
        self._endpoints = (*self._endpoints, endpoint.rstrip("/") + "/")

    def remove(self, endpoint: str) -> None:
        self._endpoints = tuple(e for e in self._endpoints if e != endpoint.rstrip("/") + "/")

    def __call__(self, request: Any, **kwargs: Any) -> Any:
        if not self._endpoints or not (request.url + "/").startswith(self._endpoints):
            return None
        from botocore.awsrequest import AWSResponse
        from moto.core.botocore_stubber import MockRawResponse
        from moto.core.request import normalize_request
        from moto.dynamodb.responses import DynamoHandler
        from werkzeug.exceptions import HTTPException

        normalized = normalize_request(request)
        try:
            status, headers, body = DynamoHandler.dispatch(normalized, normalized.raw_url, normalized.headers)
        except HTTPException as error:
            status, headers, body = error.code, error.get_headers(), error.get_body()
        return AWSResponse(request.url, status, headers, MockRawResponse(body))


IN_PROCESS = InProcessDynamoDB()


def speed_up_dynamodb() -> None:
    """Install the changes into moto and botocore (once per process)."""
    from botocore.handlers import BUILTIN_HANDLERS
    from moto.dynamodb.models import DynamoDBBackend
    from moto.dynamodb.models.table import Table
    from moto.dynamodb.responses import DynamoResult

    if getattr(DynamoDBBackend.transact_write_items, _MARK, False):
        return
    # Every botocore session created from now on (PynamoDB makes its own) sends through IN_PROCESS first.
    BUILTIN_HANDLERS.append(("before-send.dynamodb", IN_PROCESS))
    DynamoDBBackend.transact_write_items = _item_level_rollback(  # type: ignore[method-assign]
        DynamoDBBackend.transact_write_items
    )
    DynamoResult.execute_result = _plain_json(DynamoResult.execute_result)  # type: ignore[method-assign]
    Table.query = _partition_query(Table.query)  # type: ignore[method-assign]


def speed_up_step_functions() -> None:
    """Lambda tasks of executing state machines reuse one boto3 client (once per process)."""
    from moto.stepfunctions.parser.asl.component.state.exec.state_task import lambda_eval_utils

    original: Callable[..., Any] = getattr(lambda_eval_utils, "boto_client_for")  # noqa: B009 - not exported
    if getattr(original, _MARK, False):
        return
    clients: dict[tuple[str, str, str, bool], Any] = {}
    lock = threading.Lock()

    def boto_client_for(region: str, service: str, state_credentials: Any = None) -> Any:
        from moto.core.models import botocore_stubber
        from moto.settings import moto_server_port

        # moto ignores the credentials; the endpoint follows MOTO_PORT (or its in-process mode).
        key = (region, service, moto_server_port(), botocore_stubber.enabled)
        with lock:
            if key not in clients:
                clients[key] = original(region=region, service=service, state_credentials=state_credentials)
            return clients[key]

    setattr(boto_client_for, _MARK, True)
    setattr(lambda_eval_utils, "boto_client_for", boto_client_for)  # noqa: B010 - not exported


def _item_level_rollback(original: Callable[..., None]) -> Callable[..., None]:
    from moto.dynamodb.models.table import Table

    def transact_write_items(self: Any, transact_items: list[dict[str, Any]]) -> None:
        with DYNAMODB_LOCK:
            saved = _saved_items(self, transact_items)
            # moto's own table copies become the tables themselves (so its rollback changes nothing);
            # the items saved above are put back instead.
            Table.__deepcopy__ = _same  # type: ignore[attr-defined]
            try:
                original(self, transact_items)
            except Exception:
                for table, hash_key, range_key, item in saved:
                    _put_back(table, hash_key, range_key, item)
                raise
            finally:
                del Table.__deepcopy__  # type: ignore[attr-defined]

    setattr(transact_write_items, _MARK, True)
    return transact_write_items


def _same(table: Any, memo: dict[int, Any]) -> Any:
    return table


def _saved_items(backend: Any, transact_items: list[dict[str, Any]]) -> list[tuple[Any, Any, Any, Any]]:
    """(table, hash key, range key, a copy of the item or None) for every item the transaction names."""
    from moto.dynamodb.exceptions import ResourceNotFoundException
    from moto.dynamodb.models.dynamo_type import DynamoType

    saved = []
    for operation in transact_items:
        for kind, details in operation.items():
            try:
                table = backend.get_table(details["TableName"])
                source = details["Item"] if kind == "Put" else details["Key"]
                hash_key = DynamoType(source[table.hash_key_attr])
                range_key = DynamoType(source[table.range_key_attr]) if table.range_key_attr else None
            except (KeyError, TypeError, ResourceNotFoundException):
                continue  # moto answers the malformed operation itself; it changes nothing
            current = table.get_item(hash_key, range_key)
            saved.append((table, hash_key, range_key, copy.deepcopy(current)))
    return saved


def _put_back(table: Any, hash_key: Any, range_key: Any, item: Any) -> None:
    if range_key is None:
        if item is None:
            table.items.pop(hash_key, None)
        else:
            table.items[hash_key] = item
    elif item is None:
        table.items.get(hash_key, {}).pop(range_key, None)
    else:
        table.items[hash_key][range_key] = item


def _partition_query(original: Callable[..., Any]) -> Callable[..., Any]:
    def query(self: Any, hash_key: Any, *args: Any, **kwargs: Any) -> Any:
        index_name = args[6] if len(args) > 6 else kwargs.get("index_name")
        if index_name or hash_key is None or not self.range_key_attr:
            return original(self, hash_key, *args, **kwargs)
        with DYNAMODB_LOCK:
            # moto's query filters all_items() by the partition key; hand it that partition's items only.
            self.all_items = lambda: list(self.items.get(hash_key, {}).values())
            try:
                return original(self, hash_key, *args, **kwargs)
            finally:
                del self.all_items

    return query


def _plain_json(original: Callable[..., Any]) -> Callable[..., Any]:
    def execute_result(self: Any, context: Any) -> Any:
        result = self.result
        if isinstance(result, Exception) or context.operation_model.name not in PLAIN_JSON_OPERATIONS:
            return original(self, context)
        body = json.dumps(result, separators=(",", ":"), default=_wire_value)
        return 200, {"Content-Type": JSON_CONTENT_TYPE}, body

    return execute_result


def _wire_value(value: Any) -> Any:
    if isinstance(value, bytes | bytearray):
        return base64.b64encode(value).decode()
    if isinstance(value, datetime):
        return value.timestamp()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")
