"""DynamoDB calls of the admin area's and the audit trail's requests: counters, not scans."""

from __future__ import annotations

from tests.support.api import PASSWORD, Api
from tests.support.counting import aws_calls


def dynamodb(calls: list[tuple[str, str]]) -> list[str]:
    return [operation for service, operation in calls if service == "dynamodb"]


def test_the_figures_cost_the_auth_read_and_two_queries(api: Api) -> None:
    admin = api.admin()
    for name in ("Ann", "Bob", "Cy"):
        api.user(name)
    admin.call("GET", "/api/admin/stats")  # warm the cached service objects
    with aws_calls() as calls:
        assert admin.call("GET", "/api/admin/stats").status == 200
    assert dynamodb(calls) == ["BatchGetItem", "Query", "Query"]


def test_an_audit_page_costs_the_auth_read_and_one_query(api: Api) -> None:
    ann = api.user("Ann")
    ann.call("GET", "/api/audit")
    with aws_calls() as calls:
        assert ann.call("GET", "/api/audit?limit=20").status == 200
    assert dynamodb(calls) == ["BatchGetItem", "Query"]


def test_a_sign_in_adds_one_write_for_its_audit_entry(api: Api) -> None:
    ann = api.user("Ann")  # signed in once already: her email is known to the trail
    with aws_calls() as calls:
        assert api.call("POST", "/api/auth/login", {"email": ann.email, "password": PASSWORD}).status == 200
    assert dynamodb(calls).count("PutItem") == 1
    assert "Scan" not in dynamodb(calls)
