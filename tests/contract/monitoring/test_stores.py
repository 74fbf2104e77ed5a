"""Monitoring's storage ports, against the repositories on moto and against the fakes."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.domain.monitoring.entities import (
    FIRING,
    AlertEvent,
    AlertRule,
    ContainerState,
    HostSnapshot,
    HostUse,
    OrgSnapshot,
    Sample,
    ScrapeToken,
)
from chalicelib.domain.shared.errors import Conflict, NotFound
from chalicelib.domain.shared.ids import monotonic_ulid, new_ulid
from tests.contract.monitoring.conftest import Stores

NOW = datetime.now(UTC).replace(second=0, microsecond=0)
KEEP = NOW + timedelta(days=30)


def sample(container_id: str, minutes_ago: int, cpu: float = 12.5) -> Sample:
    return Sample(
        container_id, NOW - timedelta(minutes=minutes_ago), cpu, 64 * 2**20, 256 * 2**20, 10, 20, 30, 40
    )


def rule(org: str = "o1", name: str = "cpu") -> AlertRule:
    return AlertRule(
        id=new_ulid(),
        organization_id=org,
        name=name,
        kind="metric",
        metric="cpu_percent",
        comparator="gt",
        threshold=80.0,
        duration_minutes=3,
        event=None,
        container_id="c1",
        emails=("ops@example.com",),
        created_by="u1",
        created_at=NOW,
    )


def test_samples_come_back_in_time_order_within_the_range_and_only_for_their_organization(
    stores: Stores,
) -> None:
    written = [("o1", sample("c1", m)) for m in (5, 3, 1, 0)] + [("o2", sample("c1", 1, cpu=99.0))]
    stores.metrics.put_samples(written, KEEP)
    found = stores.metrics.samples("o1", "c1", NOW - timedelta(minutes=4), NOW)
    assert [s.at for s in found] == [NOW - timedelta(minutes=3), NOW - timedelta(minutes=1)]
    assert found[0] == sample("c1", 3)
    assert [s.cpu_percent for s in stores.metrics.samples("o2", "c1", NOW - timedelta(hours=1), NOW)] == [
        99.0
    ]


def test_snapshots_keep_what_the_collector_saw(stores: Stores) -> None:
    state = ContainerState("c1", "web", "h1", "running", sample("c1", 0), oom_killed=True)
    lost = ContainerState("c2", "db", "h2", "running", None, host_reachable=False)
    hosts = HostSnapshot(
        NOW, (HostUse("h1", "one", "active", True, 4000, 2**33, 500, 2**28, 1, 12.5, 2**26),)
    )
    stores.metrics.put_snapshots([OrgSnapshot("o1", NOW, (state, lost))], hosts, KEEP)
    assert stores.metrics.org_snapshot("o1") == OrgSnapshot("o1", NOW, (state, lost))
    assert stores.metrics.org_snapshot("o2") is None
    assert stores.metrics.host_snapshot() == hosts


def test_rules_are_listed_per_organization_and_all_together(stores: Stores) -> None:
    mine, theirs = rule("o1"), rule("o2")
    stores.rules.add(mine, 50)
    stores.rules.add(theirs, 50)
    assert stores.rules.of_org("o1") == [mine]
    assert {r.id for r in stores.rules.all_rules()} >= {mine.id, theirs.id}
    with pytest.raises(Conflict):
        stores.rules.add(rule("o1", "second"), 1)
    stores.rules.remove("o1", mine.id)
    assert stores.rules.of_org("o1") == []
    with pytest.raises(NotFound):
        stores.rules.remove("o1", mine.id)


def test_a_rule_state_is_saved_only_over_the_version_read(stores: Stores) -> None:
    first = rule()
    stores.rules.add(first, 50)
    assert stores.rules.save_state(first, replace(first, firing={"c1": "e1"}))
    assert not stores.rules.save_state(first, replace(first, firing={}))  # stale version
    [now] = stores.rules.of_org("o1")
    assert (now.firing, now.version) == ({"c1": "e1"}, 2)


def test_events_list_newest_first_and_resolve(stores: Stores) -> None:
    older = AlertEvent(monotonic_ulid(), "o1", "r1", "cpu", "c1", FIRING, "hot", 95.0, NOW)
    newer = AlertEvent(monotonic_ulid(), "o1", "r1", "cpu", "c2", FIRING, "hot", 91.0, NOW)
    stores.events.add(older, KEEP)
    stores.events.add(newer, KEEP)
    resolved = stores.events.resolve("o1", older.id, NOW + timedelta(minutes=2))
    assert resolved is not None and resolved.state == "resolved"
    assert stores.events.resolve("o2", older.id, NOW) is None
    page = stores.events.page("o1", 10, None)
    assert [(e.id, e.state) for e in page.items] == [(newer.id, "firing"), (older.id, "resolved")]
    assert stores.events.page("o2", 10, None).items == []


def test_a_scrape_token_is_found_by_its_hash_until_removed(stores: Stores) -> None:
    token = ScrapeToken(new_ulid(), "o1", "grafana", "csm_abcdef", "u1", NOW)
    stores.tokens.add(token, "h" * 64, 5)
    assert [t.name for t in stores.tokens.of_org("o1")] == ["grafana"]
    found = stores.tokens.find("h" * 64)
    assert found is not None and (found.id, found.organization_id) == (token.id, "o1")
    with pytest.raises(NotFound):
        stores.tokens.remove("o2", token.id)
    stores.tokens.remove("o1", token.id)
    assert stores.tokens.find("h" * 64) is None
