"""One lock around moto's DynamoDB, and a hook that sees every request it answered.

moto's DynamoDB backend is not thread-safe: TransactWriteItems deep-copies the tables it touches
and puts the copies back when the transaction is cancelled (wiping what concurrent writers did
meanwhile), and a Query or a copy iterating a table while another request adds an item fails with
"dictionary changed size during iteration". The threaded moto server answers every request on
its own thread, so every DynamoDB request runs under one re-entrant lock here. Python runs one
thread at a time anyway, so the lock costs little throughput.

`serialise_dynamodb()` is idempotent; the local stack and the test fixtures call it through
`MotoServer.start()`. `set_observer` installs the one callback (the local stack's journal) that
runs under the same lock after each request, so it sees writes in the order they happened.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

DYNAMODB_LOCK = threading.RLock()
Observer = Callable[[Any], None]
_observer: list[Observer] = []
_MARK = "_containerstacks_serialised"


def serialise_dynamodb() -> None:
    """Run every moto DynamoDB request under DYNAMODB_LOCK (patches moto's handler once per process)."""
    from moto.dynamodb.responses import DynamoHandler

    original = DynamoHandler.call_action
    if getattr(original, _MARK, False):
        return

    def call_action(self: Any) -> Any:
        with DYNAMODB_LOCK:
            try:
                return original(self)
            finally:
                for observer in _observer:
                    observer(self)

    setattr(call_action, _MARK, True)
    # moto offers no hook around a request; wrapping the handler's entry point is the only way in.
    DynamoHandler.call_action = call_action  # type: ignore[method-assign]


def set_observer(observer: Observer | None) -> None:
    """Call `observer(handler)` after every DynamoDB request, under the lock (None: no observer)."""
    with DYNAMODB_LOCK:
        _observer.clear()
        if observer is not None:
            _observer.append(observer)
