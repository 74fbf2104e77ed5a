"""DynamoDB calls per request on the hot read paths (one auth read + one data read, never a Scan).

The auth read is one consistent BatchGetItem across both tables (half the cost of a TransactGetItems)."""

from __future__ import annotations

from tests.support.api import Api
from tests.support.counting import aws_calls


def test_listing_and_reading_a_container_cost_one_auth_read_and_one_data_read(
    api: Api, default_host: str
) -> None:
    ann = api.user()
    body = {"name": "web", "image": "cs-test-missing:x", "resources": {"cpu": "0.1", "memory": "16Mi"}}
    cid = ann.call("POST", "/api/containers", body).body["id"]
    ann.call("GET", "/api/containers")  # warm the cached service objects
    with aws_calls() as listing:
        assert ann.call("GET", "/api/containers").status == 200
    with aws_calls() as reading:
        assert ann.call("GET", f"/api/containers/{cid}").status == 200
    assert listing == [("dynamodb", "BatchGetItem"), ("dynamodb", "Query")]
    assert reading == [("dynamodb", "BatchGetItem"), ("dynamodb", "GetItem")]
