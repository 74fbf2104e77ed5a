"""A page of a list: the items and the opaque cursor of the next page (None on the last)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
MAX_CURSOR_LENGTH = 2048
CURSOR_PATTERN = r"^[A-Za-z0-9_-]+$"  # url-safe base64 without padding


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    next_cursor: str | None
