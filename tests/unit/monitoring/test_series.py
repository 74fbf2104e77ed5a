"""Chart points, range validation, the system view and the Prometheus exposition."""

from __future__ import annotations

from datetime import timedelta

import pytest

from chalicelib.domain.monitoring.service import TOKEN_PREFIX
from chalicelib.domain.shared.errors import AuthenticationFailed, NotFound, ValidationFailed
from tests.unit.monitoring.world import ORG, OTHER, World, member


def test_points_average_the_gauges_and_add_up_what_the_counters_moved() -> None:
    # Given ten minutes of samples, CPU going 10, 20, ... and the network counter growing 1000 a minute
    world = World()
    web = world.run()
    engine = world.engines["h1"]
    start = world.clock.now.replace(second=0)
    for n in range(10):
        world.cpu(web, 10.0 * (n + 1))
        engine.containers[web.engine_ids[0]]  # the replica exists
        world.collector.collect()
        world.clock.advance()
    # When the chart asks for 5-minute steps
    points = world.metrics.container_points(member(), web.id, start, start + timedelta(minutes=10), 300)
    # Then there are two points: averages of CPU, and the counters' movement (constant counters move 0)
    assert [p.samples for p in points] == [5, 5]
    assert [p.cpu_percent for p in points] == [30.0, 80.0]
    assert [p.cpu_percent_max for p in points] == [50.0, 100.0]
    assert [p.network_rx_bytes for p in points] == [0, 0]


def test_another_organization_sees_no_points_of_the_container() -> None:
    world = World()
    web = world.run()
    world.collector.collect()
    now = world.clock.now
    assert world.metrics.container_points(member(OTHER), web.id, now - timedelta(hours=1), now, 60) == []


@pytest.mark.parametrize(
    ("back", "step", "field"),
    [(timedelta(hours=1), 61, "step"), (timedelta(days=40), 3600, "from"), (timedelta(days=2), 60, "from")],
)
def test_an_unbounded_range_or_unknown_step_is_refused(back: timedelta, step: int, field: str) -> None:
    world = World()
    now = world.clock.now
    with pytest.raises(ValidationFailed) as refused:
        world.metrics.container_points(member(), "c", now - back, now, step)
    assert refused.value.details == {"field": field}


def test_customers_see_their_totals_and_admins_see_the_hosts() -> None:
    world = World()
    world.run(replicas=2)
    world.run(org_id=OTHER, name="theirs")
    world.collector.collect()
    mine = world.metrics.system(member())
    assert mine.hosts is None and mine.organization is not None
    assert (mine.organization.containers, mine.organization.running) == (1, 1)
    assert mine.organization.cpu_percent == 2.0
    platform = world.metrics.system(member(admin=True))
    assert platform.hosts is not None
    assert {h.host_id: h.running_containers for h in platform.hosts.hosts} == {"h1": 2, "h2": 0}


def test_prometheus_text_names_every_container_of_the_token_organization() -> None:
    world = World()
    web = world.run(name='we"b')
    world.run(org_id=OTHER, name="theirs")
    world.cpu(web, 12.5)
    world.collector.collect()
    created = world.metrics.create_token(member(), "grafana")
    assert created.secret.startswith(TOKEN_PREFIX)
    text = world.metrics.scrape(created.secret)
    assert "# TYPE containerstacks_container_cpu_percent gauge" in text
    assert f'containerstacks_container_cpu_percent{{container_id="{web.id}",container_name="we\\"b"' in text
    assert "theirs" not in text
    assert world.metrics.container_prometheus(member(), web.id).count("containerstacks_container_up{") == 1
    with pytest.raises(NotFound):
        world.metrics.container_prometheus(member(OTHER), web.id)


def test_a_revoked_or_unknown_token_cannot_scrape() -> None:
    world = World()
    created = world.metrics.create_token(member(), "grafana")
    world.metrics.revoke_token(member(), created.token.id)
    for secret in (created.secret, "csm_nope", ""):
        with pytest.raises(AuthenticationFailed):
            world.metrics.scrape(secret)
    assert ORG not in {t.organization_id for t in world.tokens.of_org(ORG)}
