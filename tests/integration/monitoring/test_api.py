"""Monitoring over HTTP against moto and the real engine: history, system view, Prometheus and scrape tokens,
alert rule CRUD; each organization sees only its own."""

from __future__ import annotations

import pytest

from tests.support.api import Api, User

pytestmark = pytest.mark.docker


def running(user: User, image: str, name: str = "web") -> str:
    created = user.call(
        "POST",
        "/api/containers",
        {"name": name, "image": image, "resources": {"cpu": "0.1", "memory": "16Mi"}},
    )
    assert created.status == 202, created.body
    assert user.wait_for(created.body["id"])["status"] == "running"
    return str(created.body["id"])


def collect() -> dict[str, int]:
    from chalicelib.wiring.monitoring import get_collector

    return get_collector().collect().figures()


def test_a_scrape_token_reads_the_organization_in_prometheus_format_until_revoked(
    api: Api, default_host: str, test_image: str
) -> None:
    # Given a running container, sampled once, and a scrape token
    ann, bob = api.user("Ann"), api.user("Bob")
    container_id = running(ann, test_image)
    assert collect()["samples"] == 1
    token = ann.call("POST", "/api/metrics/tokens", {"name": "grafana"})
    assert token.status == 201, token.body
    secret = token.body["token"]
    listed = ann.call("GET", "/api/metrics/tokens").body["tokens"]
    assert [t["name"] for t in listed] == ["grafana"] and "token" not in listed[0]
    # When Prometheus scrapes with it (no user session)
    scraped = api.call("GET", "/api/metrics/prometheus", token=secret)
    # Then it gets the text exposition format with the container's series
    assert scraped.status == 200
    assert scraped.headers["content-type"].startswith("text/plain; version=0.0.4")
    labels = f'container_id="{container_id}",container_name="web",status="running"'
    assert f"containerstacks_container_up{{{labels}}} 1" in scraped.content.decode()
    # And the per-container endpoint answers the owner but not another organization
    own = ann.call("GET", f"/api/metrics/containers/{container_id}/prometheus")
    assert own.status == 200 and "containerstacks_container_memory_usage_bytes" in own.content.decode()
    assert bob.call("GET", f"/api/metrics/containers/{container_id}/prometheus").status == 404
    # When the token is revoked, it scrapes no more; a user's session token never scrapes
    assert ann.call("DELETE", f"/api/metrics/tokens/{listed[0]['id']}").status == 204
    assert api.call("GET", "/api/metrics/prometheus", token=secret).status == 401
    assert api.call("GET", "/api/metrics/prometheus", token=ann.token).status == 401


def test_customers_see_their_totals_and_admins_the_hosts(
    api: Api, default_host: str, test_image: str
) -> None:
    ann, admin = api.user("Ann"), api.admin()
    running(ann, test_image)
    collect()
    mine = ann.call("GET", "/api/metrics/system")
    assert mine.status == 200, mine.body
    assert mine.body["scope"] == "organization" and mine.body["hosts"] is None
    assert (mine.body["organization"]["containers"], mine.body["organization"]["running"]) == (1, 1)
    assert mine.body["organization"]["memory_used_bytes"] > 0
    platform = admin.call("GET", "/api/metrics/system").body
    assert platform["scope"] == "platform" and platform["organization"] is None
    [host] = [h for h in platform["hosts"] if h["host_id"] == default_host]
    assert host["reachable"] and host["running_containers"] >= 1 and host["cpu_capacity_millis"] > 0


def test_history_is_bounded_and_another_organization_gets_no_points(
    api: Api, default_host: str, test_image: str
) -> None:
    ann, bob = api.user("Ann"), api.user("Bob")
    container_id = running(ann, test_image)
    collect()
    mine = ann.call("GET", f"/api/metrics/containers/{container_id}/history")
    assert mine.status == 200, mine.body
    assert [p["samples"] for p in mine.body["points"]] == [1]
    theirs = bob.call("GET", f"/api/metrics/containers/{container_id}/history")
    assert theirs.status == 200 and theirs.body["points"] == []
    too_fine = ann.call(
        "GET",
        f"/api/metrics/containers/{container_id}/history?from=2026-01-01T00:00:00Z&to=2026-01-03T00:00:00Z&step=60",
    )
    assert too_fine.status == 400 and too_fine.body["error"]["details"][0]["field"] == "from"
    odd_step = ann.call("GET", f"/api/metrics/containers/{container_id}/history?step=61")
    assert odd_step.status == 400


def test_alert_rules_are_created_listed_and_deleted_by_their_organization_only(api: Api) -> None:
    ann, bob = api.user("Ann"), api.user("Bob")
    made = ann.call("POST", "/api/alerts", {"name": "exits", "kind": "event", "event": "container_exited"})
    assert made.status == 201, made.body
    listed = ann.call("GET", "/api/alerts").body
    assert [r["name"] for r in listed["rules"]] == ["exits"] and "oom_killed" in listed["event_kinds"]
    assert bob.call("GET", "/api/alerts").body["rules"] == []
    assert bob.call("DELETE", f"/api/alerts/{made.body['id']}").status == 404
    assert ann.call("DELETE", f"/api/alerts/{made.body['id']}").status == 204
    assert ann.call("DELETE", f"/api/alerts/{made.body['id']}").status == 404


def test_a_metric_rule_needs_its_container_and_a_low_balance_rule_its_threshold(api: Api) -> None:
    ann = api.user("Ann")
    no_container = ann.call(
        "POST",
        "/api/alerts",
        {"name": "cpu", "kind": "metric", "metric": "cpu_percent", "comparator": "gt", "threshold": 50},
    )
    assert no_container.status == 400
    assert no_container.body["error"]["details"][0]["field"].endswith("container_id")
    no_threshold = ann.call("POST", "/api/alerts", {"name": "money", "kind": "event", "event": "low_balance"})
    assert no_threshold.status == 400
