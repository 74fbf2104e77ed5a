"""Linode API v4 list semantics for the sandbox stub: X-Filter (the operators Linode documents), ordering and
pagination (`page`, `page_size` 25-500, answers `{data, page, pages, results}`)."""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

DEFAULT_PAGE_SIZE = 100
MIN_PAGE_SIZE, MAX_PAGE_SIZE = 25, 500
_MISSING = object()


class QueryError(ValueError):
    """A bad X-Filter or page parameter: 400 with Linode's `{"errors": [{"reason", "field"}]}`."""

    def __init__(self, reason: str, field: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.field = field


def parse_filter(header: str | None) -> dict[str, Any]:
    if not header:
        return {}
    try:
        parsed = json.loads(header)
    except ValueError:
        raise QueryError("X-Filter is not valid JSON", "X-Filter") from None
    if not isinstance(parsed, dict):
        raise QueryError("X-Filter must be a JSON object", "X-Filter")
    return parsed


def lookup(obj: Mapping[str, Any], dotted: str) -> Any:
    """`entity.id` → obj["entity"]["id"]; QueryError when the object has no such field."""
    value: Any = obj
    for part in dotted.split("."):
        value = value.get(part, _MISSING) if isinstance(value, Mapping) else _MISSING
        if value is _MISSING:
            raise QueryError(f"Cannot filter on {dotted}", "X-Filter")
    return value


_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "+gt": lambda value, operand: bool(value > operand),
    "+gte": lambda value, operand: bool(value >= operand),
    "+lt": lambda value, operand: bool(value < operand),
    "+lte": lambda value, operand: bool(value <= operand),
    "+neq": lambda value, operand: operand not in value if isinstance(value, list) else value != operand,
    "+contains": lambda value, operand: str(operand) in (value if isinstance(value, list) else str(value)),
}


def _holds(value: Any, condition: Any) -> bool:
    if isinstance(condition, dict):
        for operator, operand in condition.items():
            test = _COMPARE.get(operator)
            if test is None:
                raise QueryError(f"Unknown filter operator {operator}", "X-Filter")
            try:
                if not test(value, operand):
                    return False
            except TypeError:  # e.g. null > 3
                return False
        return True
    return condition in value if isinstance(value, list) else bool(value == condition)


def matches(obj: Mapping[str, Any], query: Mapping[str, Any]) -> bool:
    """Does `obj` pass the X-Filter `query` (+and, +or, field: value, field: {+gt: ...})?"""
    for key, condition in query.items():
        if key in ("+order_by", "+order"):
            continue
        if key in ("+and", "+or"):
            if not isinstance(condition, list) or not all(isinstance(c, dict) for c in condition):
                raise QueryError(f"{key} takes a list of filters", "X-Filter")
            results = [matches(obj, c) for c in condition]
            if not (all(results) if key == "+and" else any(results)):
                return False
        elif key.startswith("+"):
            raise QueryError(f"Unknown filter operator {key}", "X-Filter")
        elif not _holds(lookup(obj, key), condition):
            return False
    return True


def select(items: Sequence[Mapping[str, Any]], query: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The items passing `query`, in its +order_by/+order when given (else as they are)."""
    chosen = [item for item in items if matches(item, query)]
    order_by = query.get("+order_by")
    if order_by is None:
        return chosen
    order = query.get("+order", "asc")
    if order not in ("asc", "desc"):
        raise QueryError("+order must be asc or desc", "X-Filter")
    for item in chosen:
        lookup(item, str(order_by))

    def key(item: Mapping[str, Any]) -> tuple[bool, Any]:
        value = lookup(item, str(order_by))
        return (value is None, value if value is not None else 0)

    return sorted(chosen, key=key, reverse=order == "desc")


def page_params(query: Mapping[str, Sequence[str]]) -> tuple[int, int]:
    """(page, page_size) from the query string, as Linode validates them."""

    def number(name: str, default: int) -> int:
        raw = (query.get(name) or [str(default)])[0]
        try:
            return int(raw)
        except ValueError:
            raise QueryError("Must be an integer", name) from None

    page, size = number("page", 1), number("page_size", DEFAULT_PAGE_SIZE)
    if page < 1:
        raise QueryError("Must be an integer greater than 0", "page")
    if not MIN_PAGE_SIZE <= size <= MAX_PAGE_SIZE:
        raise QueryError(f"Must be {MIN_PAGE_SIZE}-{MAX_PAGE_SIZE}", "page_size")
    return page, size


def paginate(items: Sequence[Mapping[str, Any]], page: int, size: int) -> dict[str, Any]:
    pages = max(1, math.ceil(len(items) / size))
    start = (page - 1) * size
    return {"data": list(items[start : start + size]), "page": page, "pages": pages, "results": len(items)}
