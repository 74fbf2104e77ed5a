"""DynamoDB calls per monitoring read: the one auth read and one data read (the scrape: the token's lookup is
its auth read), never a Scan."""

from __future__ import annotations

from tests.support.api import Api
from tests.support.counting import aws_calls

AUTH = ("dynamodb", "BatchGetItem")


def test_every_monitoring_read_costs_the_auth_read_and_one_data_read(api: Api) -> None:
    ann = api.user()
    token = ann.call("POST", "/api/metrics/tokens", {"name": "grafana"}).body["token"]
    ann.call("GET", "/api/alerts")  # warm the cached service objects
    reads = {
        "/api/metrics/containers/c-1/history": ("dynamodb", "Query"),
        "/api/metrics/system": ("dynamodb", "GetItem"),
        "/api/alerts": ("dynamodb", "Query"),
        "/api/alerts/events": ("dynamodb", "Query"),
        "/api/metrics/tokens": ("dynamodb", "Query"),
    }
    for path, data_read in reads.items():
        with aws_calls() as calls:
            assert ann.call("GET", path).status == 200, path
        assert calls == [AUTH, data_read], path
    with aws_calls() as scrape:
        assert api.call("GET", "/api/metrics/prometheus", token=token).status == 200
    assert scrape == [("dynamodb", "GetItem"), ("dynamodb", "GetItem")]
