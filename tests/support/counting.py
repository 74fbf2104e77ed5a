"""Count the AWS SDK calls made inside a block (by patching botocore's single call path)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from botocore.client import BaseClient


@contextmanager
def aws_calls() -> Iterator[list[tuple[str, str]]]:
    """Yields a list that fills with (service, operation) for each call made on this thread."""
    calls: list[tuple[str, str]] = []
    original = getattr(BaseClient, "_make_api_call")  # noqa: B009 - private, untyped in the stubs
    me = threading.get_ident()

    def counting(self: BaseClient, operation_name: str, api_params: Any) -> Any:
        if threading.get_ident() == me:
            calls.append((self.meta.service_model.service_name, operation_name))
        return original(self, operation_name, api_params)

    setattr(BaseClient, "_make_api_call", counting)  # noqa: B010
    try:
        yield calls
    finally:
        setattr(BaseClient, "_make_api_call", original)  # noqa: B010
