"""An alert on sustained CPU, on the real engine: it fires after its duration and resolves, told by email
and by a signed webhook. The schedules' minutes are driven by a clock the test moves (no waiting)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from tests.support.api import Api
from tests.support.webhooks import Receiver

pytestmark = pytest.mark.docker


@dataclass
class Minutes:
    now: datetime

    def __call__(self) -> datetime:
        return self.now


def test_sustained_cpu_fires_after_its_duration_and_resolves_by_email_and_webhook(
    loopback_webhooks: None, api: Api, receiver: Receiver, smtp: object, default_host: str, burn_image: str
) -> None:
    from chalicelib.domain.monitoring.collector import MetricsCollector
    from chalicelib.domain.monitoring.evaluator import AlertEvaluator
    from chalicelib.store.containers.repository import ContainerRepository
    from chalicelib.store.hosts.repository import HostRepository
    from chalicelib.store.monitoring.alerts import AlertRuleRepository
    from chalicelib.store.monitoring.repository import MetricRepository
    from chalicelib.wiring.hosts import get_hosts
    from chalicelib.wiring.monitoring import LedgerBalances, alert_delivery

    # Given a container that keeps a fifth of a core busy, a webhook endpoint and a rule:
    # CPU above 10 % for 2 minutes, mailed to ops@example.com
    ann = api.user()
    created = ann.call(
        "POST",
        "/api/containers",
        {"name": "busy", "image": burn_image, "resources": {"cpu": "0.2", "memory": "16Mi"}},
    )
    assert created.status == 202, created.body
    container_id = created.body["id"]
    assert ann.wait_for(container_id)["status"] == "running"
    hook = ann.call("POST", "/api/webhooks", {"url": receiver.url(), "events": ["alert.*"]})
    assert hook.status == 201, hook.body
    rule = ann.call(
        "POST",
        "/api/alerts",
        {
            "name": "busy CPU",
            "kind": "metric",
            "metric": "cpu_percent",
            "comparator": "gt",
            "threshold": 10,
            "duration_minutes": 2,
            "container_id": container_id,
            "emails": ["ops@example.com"],
        },
    )
    assert rule.status == 201, rule.body
    clock = Minutes(datetime.now(UTC).replace(second=5, microsecond=0))
    collector = MetricsCollector(
        ContainerRepository(), HostRepository(), get_hosts().engine_for, MetricRepository(), clock=clock
    )
    evaluator = AlertEvaluator(
        AlertRuleRepository(), MetricRepository(), alert_delivery(), LedgerBalances(), clock=clock
    )

    def minute() -> None:
        collector.collect()
        evaluator.evaluate()
        clock.now += timedelta(minutes=1)

    def events() -> list[dict[str, object]]:
        reply = ann.call("GET", "/api/alerts/events")
        assert reply.status == 200, reply.body
        return list(reply.body["events"])

    # When one minute has been collected, nothing fires yet
    minute()
    assert events() == []
    # When the second minute is above the threshold too, the rule fires
    minute()
    [fired] = events()
    assert (fired["state"], fired["subject"], fired["rule_name"]) == ("firing", container_id, "busy CPU")
    assert float(str(fired["value"])) > 10
    stamp = "%Y-%m-%dT%H:%M:%SZ"
    since, until = (clock.now - timedelta(minutes=5)).strftime(stamp), clock.now.strftime(stamp)
    history = ann.call("GET", f"/api/metrics/containers/{container_id}/history?from={since}&to={until}")
    assert history.status == 200, history.body
    assert len(history.body["points"]) == 2 and history.body["points"][0]["cpu_percent"] > 10

    # When the container is stopped, its samples stop and the alert resolves
    assert ann.call("POST", f"/api/containers/{container_id}/stop").status in (200, 202)
    clock.now += timedelta(minutes=5)
    minute()
    [resolved] = events()
    assert resolved["state"] == "resolved" and resolved["resolved_at"]

    # Then ops@example.com got a FIRING and a RESOLVED mail
    mails = sorted(m["Subject"] for m in smtp.messages() if m["To"] == "ops@example.com")  # type: ignore[attr-defined]
    assert mails == [f"[FIRING] busy CPU: {container_id}", f"[RESOLVED] busy CPU: {container_id}"]
    # And the webhook endpoint got both events, signed
    got = receiver.wait_for(2)
    kinds = [json.loads(r.body)["type"] for r in got]
    assert kinds == ["alert.firing", "alert.resolved"]
    assert all(r.headers.get("X-ContainerStacks-Signature") for r in got)
