"""The Linode sandbox stub's own rules: X-Filter and pages as Linode documents them, faults that run out."""

from __future__ import annotations

from typing import Any

import pytest

from devstack.linode_query import QueryError, paginate, select
from devstack.linode_stub import LinodeStub

ITEMS: list[dict[str, Any]] = [
    {"id": 1, "tags": ["a", "b"], "status": "running", "entity": {"type": "linode"}},
    {"id": 2, "tags": ["b"], "status": "offline", "entity": {"type": "ticket"}},
    {"id": 3, "tags": [], "status": "running", "entity": {"type": "linode"}},
]


def ids(query: dict[str, Any]) -> list[int]:
    return [item["id"] for item in select(ITEMS, query)]


def test_x_filter_operators_select_as_linode_documents() -> None:
    assert ids({"tags": "b"}) == [1, 2]
    assert ids({"id": {"+gt": 1}, "+order_by": "id", "+order": "desc"}) == [3, 2]
    assert ids({"status": {"+neq": "running"}}) == [2]
    assert ids({"+or": [{"id": 1}, {"entity.type": "ticket"}]}) == [1, 2]
    assert ids({"+and": [{"status": "running"}, {"tags": {"+neq": "a"}}]}) == [3]
    assert ids({"status": {"+contains": "run"}, "id": {"+lte": 1}}) == [1]


@pytest.mark.parametrize(
    "query", [{"nosuch": 1}, {"id": {"+like": 1}}, {"+nor": []}, {"+or": {"id": 1}}, {"+order_by": "x"}]
)
def test_a_filter_linode_would_refuse_is_refused(query: dict[str, Any]) -> None:
    with pytest.raises(QueryError):
        select(ITEMS, query)


def test_pages_count_every_result() -> None:
    items = [{"id": n} for n in range(60)]

    assert {k: v for k, v in paginate(items, 3, 25).items() if k != "data"} == {
        "page": 3,
        "pages": 3,
        "results": 60,
    }
    assert len(paginate(items, 3, 25)["data"]) == 10 and paginate(items, 4, 25)["data"] == []
    assert paginate([], 1, 25) == {"data": [], "page": 1, "pages": 1, "results": 0}


def test_faults_apply_to_their_operation_and_run_out() -> None:
    stub = LinodeStub()
    stub.inject("create", "500", count=2)
    stub.inject("any", "429", retry_after=3)

    taken = [stub.fault("create"), stub.fault("create"), stub.fault("list"), stub.fault("create")]

    assert [(f.kind, f.retry_after) if f else None for f in taken] == [
        ("500", 1),
        ("500", 1),
        ("429", 3),
        None,
    ]
    with pytest.raises(ValueError, match="never_running"):
        stub.inject("boot", "never_running")
    with pytest.raises(ValueError, match="unknown fault"):
        stub.inject("create", "404")
