"""Alert rules: a sustained metric fires after its duration and resolves; event rules; delivery."""

from __future__ import annotations

import pytest

from chalicelib.domain.monitoring.entities import RuleRequest
from chalicelib.domain.shared.errors import Conflict, NotFound, ValidationFailed
from tests.unit.monitoring.world import ORG, OTHER, World, member


def cpu_rule(world: World, container_id: str, minutes: int = 3) -> str:
    rule = world.alerts.create(
        member(),
        RuleRequest(
            "cpu high", "metric", "cpu_percent", "gt", 80.0, minutes, None, container_id, ("ops@example.com",)
        ),
    )
    return rule.id


def states(world: World) -> list[str]:
    return [e.state for e in world.alerts.events(member(), 50, None).items]


def test_cpu_above_the_threshold_fires_only_after_the_duration_then_resolves() -> None:
    # Given a rule: CPU above 80 % for 3 minutes
    world = World()
    web = world.run()
    cpu_rule(world, web.id, minutes=3)
    world.cpu(web, 95.0)
    # When CPU stays high for two minutes, nothing fires
    world.minute()
    world.minute()
    assert states(world) == []
    # When it is still high in the third minute, the rule fires once, by email, in-app and webhook notice
    world.minute()
    world.minute()
    assert states(world) == ["firing"]
    assert [m.template for m in world.mailer.sent] == ["alert_firing"]
    assert world.mailer.sent[0].to == "ops@example.com"
    assert [n.kind for n in world.notifier.notices] == ["alert.firing"]
    assert "cpu_percent is 95 %" in world.notifier.notices[0].body
    # When CPU drops, the event is resolved and that is told too
    world.cpu(web, 10.0)
    world.minute()
    assert states(world) == ["resolved"]
    assert [m.template for m in world.mailer.sent] == ["alert_firing", "alert_resolved"]
    assert [n.kind for n in world.notifier.notices] == ["alert.firing", "alert.resolved"]


def test_a_dip_within_the_duration_starts_the_count_again() -> None:
    world = World()
    web = world.run()
    cpu_rule(world, web.id, minutes=3)
    for percent in (95.0, 95.0, 20.0, 95.0, 95.0):
        world.cpu(web, percent)
        world.minute()
    assert states(world) == []


def test_a_container_that_exits_fires_its_event_rule_and_resolves_when_running_again() -> None:
    world = World()
    web = world.run()
    world.alerts.create(member(), RuleRequest("exits", "event", event="container_exited"))
    world.minute()
    world.set_status(web, "error")
    world.minute()
    assert states(world) == ["firing"]
    world.set_status(web, "running")
    world.minute()
    assert states(world) == ["resolved"]


def test_low_balance_fires_below_the_threshold_in_dollars() -> None:
    world = World()
    world.alerts.create(member(), RuleRequest("money", "event", threshold=5.0, event="low_balance"))
    world.balances.cents[ORG] = 499
    world.minute()
    assert states(world) == ["firing"]
    assert "4.99 USD" in world.events.page(ORG, 10, None).items[0].message


def test_a_missed_backup_fires_through_the_function_other_capabilities_call() -> None:
    world = World()
    world.alerts.create(member(), RuleRequest("backups", "event", event="backup_missed"))
    assert world.alerts.backup_missed(ORG, "db-nightly", "The 02:00 backup failed: engine down.") == 1
    assert world.alerts.backup_missed(ORG, "db-nightly", "again") == 0  # already firing
    world.minute()  # the schedule leaves it alone
    assert states(world) == ["firing"]
    assert world.alerts.backup_succeeded(ORG, "db-nightly") == 1
    assert states(world) == ["resolved"]


def test_rules_belong_to_their_organization() -> None:
    world = World()
    web = world.run()
    rule_id = cpu_rule(world, web.id)
    assert world.alerts.list(member(OTHER)) == []
    with pytest.raises(NotFound):
        world.alerts.delete(member(OTHER), rule_id)
    world.alerts.delete(member(), rule_id)
    assert world.alerts.list(member()) == []


def test_a_metric_rule_without_its_container_is_refused_naming_the_field() -> None:
    world = World()
    with pytest.raises(ValidationFailed) as refused:
        world.alerts.create(member(), RuleRequest("x", "metric", "cpu_percent", "gt", 1.0))
    assert refused.value.details == {"field": "container_id"}


def test_an_organization_has_at_most_fifty_rules() -> None:
    world = World()
    for n in range(50):
        world.alerts.create(member(), RuleRequest(f"r{n}", "event", event="oom_killed"))
    with pytest.raises(Conflict):
        world.alerts.create(member(), RuleRequest("one more", "event", event="oom_killed"))


def test_an_unreachable_host_and_a_memory_kill_fire_their_rules_for_the_container() -> None:
    # Given rules on both events, and a container on each host
    world = World()
    lost, hog = world.run(host_id="h1", name="lost"), world.run(host_id="h2", name="hog")
    world.alerts.create(member(), RuleRequest("host down", "event", event="host_unreachable"))
    world.alerts.create(member(), RuleRequest("oom", "event", event="oom_killed", container_id=hog.id))
    # When the first host stops answering and the other container's replica is killed for memory
    world.engines["h1"].down = True
    world.engines["h2"].die(hog.engine_ids[0], 137, oom_killed=True)
    world.minute()
    # Then each rule fires once, for its container
    fired = {(e.rule_name, e.subject) for e in world.events.page(ORG, 10, None).items}
    assert fired == {("host down", lost.id), ("oom", hog.id)}


def test_a_rule_that_cannot_be_read_does_not_stop_the_other_rules() -> None:
    world = World()
    web = world.run()
    world.alerts.create(member(), RuleRequest("money", "event", threshold=5.0, event="low_balance"))
    world.alerts.create(member(), RuleRequest("exits", "event", event="container_exited"))

    def no_wallet(org_id: str) -> int:
        raise NotFound("The organization has no wallet.")

    world.balances.balance_cents = no_wallet  # type: ignore[method-assign]
    world.set_status(web, "exited")
    world.minute()
    assert [e.rule_name for e in world.events.page(ORG, 10, None).items] == ["exits"]
