"""Running out of money: warnings once per episode, suspension after the grace period, resume, termination."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta

from chalicelib.domain.billing.entities import BillingPolicy, BillingState, Party
from chalicelib.domain.billing.suspension import Suspension

T0 = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)
HOUR = 1_000_000  # a burn of 1.00 per hour, in micro-dollars


class States:
    def __init__(self) -> None:
        self.saved: dict[str, BillingState] = {}

    def get(self, org_id: str) -> BillingState:
        return self.saved.get(org_id, BillingState(organization_id=org_id))

    def put(self, state: BillingState, now: datetime) -> None:
        self.saved[state.organization_id] = state


class Engine:
    def __init__(self) -> None:
        self.running = {"c1", "c2"}
        self.removed: set[str] = set()

    def running_ids(self, org_id: str) -> list[str]:
        return sorted(self.running)

    def stop(self, org_id: str, resource_id: str) -> None:
        self.running.discard(resource_id)

    def start(self, org_id: str, resource_id: str) -> None:
        self.running.add(resource_id)

    def terminate(self, org_id: str, resource_id: str) -> None:
        self.running.discard(resource_id)
        self.removed.add(resource_id)


class Workloads:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def running(self, org_id: str) -> list[str]:
        return self.engine.running_ids(org_id)

    def stop(self, org_id: str, resource_id: str) -> None:
        self.engine.stop(org_id, resource_id)

    def start(self, org_id: str, resource_id: str) -> None:
        self.engine.start(org_id, resource_id)

    def terminate(self, org_id: str, resource_id: str) -> None:
        self.engine.terminate(org_id, resource_id)


class Mail:
    def __init__(self) -> None:
        self.sent: list[tuple[str, str, dict[str, str]]] = []

    def send(self, to: str, template: str, values: Mapping[str, str]) -> None:
        self.sent.append((to, template, dict(values)))


class Directory:
    def organization(self, org_id: str) -> Party:
        return Party(name="Ann's organization", email="ann@example.com")


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


def suspension(grace_hours: int = 24) -> tuple[Suspension, Engine, Mail, Clock]:
    engine, mail, clock = Engine(), Mail(), Clock()
    policy = BillingPolicy(grace_seconds=grace_hours * 3600, terminate_after_seconds=14 * 86400)
    service = Suspension(States(), Workloads(engine), mail, Directory(), policy, clock=clock)
    return service, engine, mail, clock


def templates(mail: Mail) -> list[str]:
    return [f"{t}:{v.get('hours', '')}" if t == "runway_warning" else t for _, t, v in mail.sent]


def test_warnings_go_out_once_per_threshold_per_episode() -> None:
    service, _, mail, _ = suspension()
    service.review("org", 50_00, HOUR)  # 50 h left: below 72
    service.review("org", 49_00, HOUR)  # still below 72: no second warning
    service.review("org", 20_00, HOUR)  # below 24
    service.review("org", 1_00, HOUR)  # below 2
    service.review("org", 50, HOUR)
    assert templates(mail) == ["runway_warning:72", "runway_warning:24", "runway_warning:2"]
    service.funded("org", 500_00)  # a top-up ends the episode
    service.review("org", 60_00, HOUR)
    assert templates(mail)[-1] == "runway_warning:72"


def test_zero_balance_suspends_after_the_grace_period_and_a_top_up_resumes() -> None:
    service, engine, mail, clock = suspension(grace_hours=24)
    service.review("org", -10, HOUR)
    assert engine.running == {"c1", "c2"}  # grace period
    clock.now = T0 + timedelta(hours=24)
    state = service.review("org", -50, HOUR)
    assert state.suspended_at == clock.now and engine.running == set()
    assert "suspended" in templates(mail)
    service.funded("org", 1)  # still zero or below: nothing happens
    service.funded("org", 10_00)
    assert engine.running == {"c1", "c2"} and templates(mail)[-1] == "resumed"


def test_long_suspension_is_announced_then_terminated() -> None:
    service, engine, mail, clock = suspension(grace_hours=0)
    service.review("org", -10, HOUR)
    clock.now = T0 + timedelta(days=11, hours=1)
    service.review("org", -10, HOUR)
    assert templates(mail)[-1] == "termination_notice" and engine.removed == set()
    clock.now = T0 + timedelta(days=14, hours=1)
    service.review("org", -10, HOUR)
    assert engine.removed == {"c1", "c2"} and templates(mail)[-1] == "terminated"


def test_what_starts_running_after_the_suspension_is_stopped_at_the_next_review() -> None:
    service, engine, _, clock = suspension(grace_hours=0)
    service.review("org", -10, HOUR)
    assert engine.running == set()
    # Given a container that was still being provisioned when the organization was suspended
    engine.running.add("late")
    # When the next billing run reviews the organization
    clock.now = T0 + timedelta(hours=1)
    state = service.review("org", -20, HOUR)
    # Then it is stopped too, and resumed with the others at the next top-up
    assert engine.running == set() and set(state.suspended_ids) == {"c1", "c2", "late"}
    service.funded("org", 10_00)
    assert engine.running == {"c1", "c2", "late"}


def test_resuming_lifts_the_suspension_before_starting_anything() -> None:
    states = States()
    engine, mail, clock = Engine(), Mail(), Clock()
    seen: list[object] = []

    class Checking(Workloads):
        def start(self, org_id: str, resource_id: str) -> None:
            seen.append(states.get(org_id).suspended_at)  # what the Standing check reads
            super().start(org_id, resource_id)

    policy = BillingPolicy(grace_seconds=0, terminate_after_seconds=14 * 86400)
    service = Suspension(states, Checking(engine), mail, Directory(), policy, clock=clock)
    service.review("org", -10, HOUR)
    service.funded("org", 10_00)
    assert seen == [None, None] and engine.running == {"c1", "c2"}
    assert states.get("org") == BillingState(organization_id="org")


def test_a_suspended_organization_is_not_in_good_standing() -> None:
    import pytest

    from chalicelib.domain.billing.standing import BillingStanding
    from chalicelib.domain.shared.errors import PaymentRequired

    states = States()
    standing = BillingStanding(states)
    standing.require_good_standing("org")  # nothing recorded: fine
    states.put(BillingState(organization_id="org", suspended_at=T0), T0)
    with pytest.raises(PaymentRequired, match="add funds"):
        standing.require_good_standing("org")
