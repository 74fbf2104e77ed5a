"""Monitoring's rows of the authorization matrix, and the owner's sampled container, scrape token, alert rule
and alert event."""

from __future__ import annotations

from tests.support.matrix import Caller, Listing, Row, World


def new_token(world: World) -> str:
    reply = world.owner.call("POST", "/api/metrics/tokens", {"name": world.unique("scrape")})
    assert reply.status == 201, reply.body
    return str(reply.body["id"])


def new_rule(world: World) -> str:
    reply = world.owner.call(
        "POST", "/api/alerts", {"name": world.unique("rule"), "kind": "event", "event": "oom_killed"}
    )
    assert reply.status == 201, reply.body
    return str(reply.body["id"])


def add_monitoring_resources(world: World) -> None:
    """One collection (the owner's container is sampled), a scrape token, a rule and a firing event."""
    from chalicelib.wiring.monitoring import get_alerts, get_collector

    get_collector().collect()
    reply = world.owner.call(
        "POST", "/api/alerts", {"name": "backups", "kind": "event", "event": "backup_missed"}
    )
    assert reply.status == 201, reply.body
    assert get_alerts().backup_missed(world.owner.org_id, "nightly", "The matrix missed it.") == 1
    events = world.owner.call("GET", "/api/alerts/events").body["events"]
    world.makers.update({"token_id": new_token, "rule_id": new_rule})
    world.ids.update({"token_id": new_token(world), "rule_id": new_rule(world), "event_id": events[0]["id"]})


MONITORING_ROWS: dict[str, Row] = {
    # another organization's container has no points in the caller's partition: an empty series, as for an
    # id that never ran (no extra read to tell them apart)
    "container_history": Row(scoped=False),
    "system_metrics": Row(),
    "container_prometheus": Row(),
    # only a scrape token opens it: every session token, valid or not, is refused
    "scrape_metrics": Row(expect={caller: 401 for caller in Caller}),
    "list_scrape_tokens": Row(lists=Listing("tokens", "token_id")),
    "create_scrape_token": Row(body=lambda w: {"name": w.unique("scrape")}),
    "revoke_scrape_token": Row(fresh=("token_id",)),
    "list_alert_rules": Row(lists=Listing("rules", "rule_id")),
    "create_alert_rule": Row(
        body=lambda w: {"name": w.unique("rule"), "kind": "event", "event": "oom_killed"}
    ),
    "delete_alert_rule": Row(fresh=("rule_id",)),
    "list_alert_events": Row(lists=Listing("events", "event_id")),
}
