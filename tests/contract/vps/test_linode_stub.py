"""The Linode sandbox stub cannot drift from Linode: every answer it gives has the keys and JSON types of
Linode's own SDK fixtures (../shared/vendor/linode/), and its types and regions are those fixtures."""

from __future__ import annotations

import json
from typing import Any

import pytest
import requests

from devstack.linode_http import LinodeServer
from devstack.linode_stub import DATA, SANDBOX_TOKEN, LinodeStub
from tests.support.linode import VENDOR, eventually, shape_errors, vendor_fixture

AUTH = {"Authorization": f"Bearer {SANDBOX_TOKEN}"}
# Linode's error answers (developer docs, "Errors"): each error has a reason, and a field when one is to blame
LINODE_ERROR = {"errors": [{"reason": "region is required", "field": "region"}, {"reason": "Not found"}]}
PASSWORD = "Sandbox-Passw0rd"


def call(server: LinodeServer, method: str, path: str, body: Any = None, **headers: str) -> requests.Response:
    return requests.request(
        method, f"{server.api_url}{path}", json=body, headers={**AUTH, **headers}, timeout=5
    )


def ok(response: requests.Response) -> Any:
    assert response.status_code == 200, response.text
    return response.json()


def create(server: LinodeServer, label: str, **fields: Any) -> dict[str, Any]:
    body = {
        "type": "g6-nanode-1",
        "region": "us-east",
        "label": label,
        "image": "linode/ubuntu24.04",
        "root_pass": PASSWORD,
        "tags": ["cs-vps-contract", "containerstacks"],
        **fields,
    }
    created: dict[str, Any] = ok(call(server, "POST", "/linode/instances", body))
    return created


def assert_shaped(actual: Any, *examples: Any) -> None:
    errors = shape_errors(actual, *examples)
    assert not errors, "\n".join(errors)


def test_the_stub_serves_linodes_own_types_and_regions(linode_stub: LinodeStub) -> None:
    for name in ("linode_types.json", "regions.json"):
        assert json.loads((DATA / name).read_text()) == json.loads((VENDOR / name).read_text())


def test_catalog_answers_have_linodes_shapes(linode_server: LinodeServer, linode_stub: LinodeStub) -> None:
    assert_shaped(ok(call(linode_server, "GET", "/linode/types")), vendor_fixture("linode_types"))
    assert_shaped(
        ok(call(linode_server, "GET", "/linode/types/g6-nanode-1")),
        vendor_fixture("linode_types_g6-nanode-1"),
        *vendor_fixture("linode_types")["data"],  # the single fixture predates accelerated_devices
    )
    assert_shaped(ok(call(linode_server, "GET", "/regions")), vendor_fixture("regions"))
    assert_shaped(ok(call(linode_server, "GET", "/regions/us-east")), *vendor_fixture("regions")["data"])


def test_instance_answers_have_linodes_shapes(linode_server: LinodeServer, linode_stub: LinodeStub) -> None:
    # Given Linode's shapes of one instance (the single fixture and the listed ones)
    one = [vendor_fixture("linode_instances_124"), *vendor_fixture("linode_instances")["data"]]

    # When an instance is created, read, listed, rebooted, and its addresses are read
    created = create(linode_server, "contract-1")
    path = f"/linode/instances/{created['id']}"
    eventually(lambda: ok(call(linode_server, "GET", path))["status"] == "running")
    read = ok(call(linode_server, "GET", path))
    listed = ok(call(linode_server, "GET", "/linode/instances"))
    rebooted = ok(call(linode_server, "POST", f"{path}/reboot"))
    ips = ok(call(linode_server, "GET", f"{path}/ips"))

    # Then every answer has Linode's keys and types
    assert_shaped(created, *one)
    assert_shaped(read, *one)
    assert_shaped(listed, vendor_fixture("linode_instances"))
    assert_shaped(ips, vendor_fixture("linode_instances_123_ips"))
    assert rebooted == {}
    assert ips["ipv4"]["public"][0]["address"] == read["ipv4"][0]


def test_tags_and_events_have_linodes_shapes(linode_server: LinodeServer, linode_stub: LinodeStub) -> None:
    created = create(linode_server, "contract-2")
    linode_stub.outside(created["id"], "migrate")
    ok(call(linode_server, "DELETE", f"/linode/instances/{created['id']}"))
    page = {**vendor_fixture("tags"), "data": vendor_fixture("tags")["data"]}
    events_page = {"data": [vendor_fixture("account_events_123")], "page": 1, "pages": 1, "results": 1}

    tags = ok(call(linode_server, "GET", "/tags"))
    events = ok(call(linode_server, "GET", "/account/events"))

    assert_shaped(tags, page)
    assert {t["label"] for t in tags["data"]} == {"cs-vps-contract", "containerstacks"}
    assert_shaped(events, events_page)
    assert [e["action"] for e in events["data"]] == ["linode_delete", "linode_migrate", "linode_create"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"region": None}, "region"),
        ({"type": None}, "type"),
        ({"region": "mars-1"}, "region"),
        ({"type": "g9-huge"}, "type"),
        ({"label": "a"}, "label"),
        ({"label": "two--dashes"}, "label"),
        ({"root_pass": "short"}, "root_pass"),
        ({"root_pass": "alllowercaseletters"}, "root_pass"),
        ({"root_pass": None}, "root_pass"),
        ({"authorized_keys": ["not a key"]}, "authorized_keys"),
        ({"tags": ["x"]}, "tags"),
    ],
)
def test_invalid_creates_answer_linodes_error_shape(
    linode_server: LinodeServer, linode_stub: LinodeStub, change: dict[str, Any], field: str
) -> None:
    body = {"type": "g6-nanode-1", "region": "us-east", "image": "linode/debian12", "root_pass": PASSWORD}
    body = {k: v for k, v in {**body, **change}.items() if v is not None}

    answer = call(linode_server, "POST", "/linode/instances", body)

    assert answer.status_code == 400
    assert_shaped(answer.json(), LINODE_ERROR)
    assert answer.json()["errors"][0]["field"] == field
    assert linode_stub.instances() == []


def test_a_duplicate_label_is_refused_as_linode_does(
    linode_server: LinodeServer, linode_stub: LinodeStub
) -> None:
    create(linode_server, "same-label")

    answer = call(
        linode_server,
        "POST",
        "/linode/instances",
        {"type": "g6-nanode-1", "region": "us-east", "label": "same-label"},
    )

    assert answer.status_code == 400 and answer.json()["errors"][0]["field"] == "label"


def test_tokens_pages_and_filters_follow_linode(linode_server: LinodeServer, linode_stub: LinodeStub) -> None:
    for n in range(30):
        create(linode_server, f"paged-{n:02d}", tags=["cs-even"] if n % 2 == 0 else [])

    wrong = call(linode_server, "GET", "/linode/instances", Authorization="Bearer nope")
    public = requests.get(f"{linode_server.api_url}/regions", timeout=5)
    second = ok(call(linode_server, "GET", "/linode/instances?page=2&page_size=25"))
    even = ok(
        call(linode_server, "GET", "/linode/instances", **{"X-Filter": json.dumps({"tags": "cs-even"})})
    )
    too_big = call(linode_server, "GET", "/linode/instances?page_size=501")
    bad_filter = call(linode_server, "GET", "/linode/instances", **{"X-Filter": '{"nosuch": 1}'})

    assert (wrong.status_code, wrong.json()) == (401, {"errors": [{"reason": "Invalid Token"}]})
    assert public.status_code == 200
    assert (second["page"], second["pages"], second["results"], len(second["data"])) == (2, 2, 30, 5)
    assert even["results"] == 15 and all("cs-even" in i["tags"] for i in even["data"])
    assert too_big.status_code == 400 and too_big.json()["errors"][0]["field"] == "page_size"
    assert bad_filter.status_code == 400
    assert_shaped(wrong.json(), LINODE_ERROR)


def test_the_shape_comparison_notices_drift() -> None:
    example = {"id": 1, "tags": ["a"], "specs": {"vcpus": 1}, "lke_cluster_id": None}

    assert shape_errors({"id": 2, "tags": [], "specs": {"vcpus": 2.5}, "lke_cluster_id": 7}, example) == []
    wrong_type = {"id": "2", "tags": ["b"], "specs": {"vcpus": 1}, "lke_cluster_id": None}
    assert shape_errors(wrong_type, example) == ["$.id: string, Linode's is number"]
    assert shape_errors({"id": 2, "tags": [3], "specs": {}, "lke_cluster_id": None, "x": 1}, example) == [
        "$.x: not in Linode's",
        "$.specs.vcpus: missing",
        "$.tags[0]: number, Linode's is string",
    ]
