"""The collector: one sample per running container per minute, summed over replicas, with a TTL."""

from __future__ import annotations

from datetime import timedelta

from chalicelib.domain.monitoring.entities import minute_of
from tests.unit.monitoring.world import ORG, OTHER, World


def test_each_running_container_gets_one_sample_a_minute_summed_over_its_replicas() -> None:
    # Given a container with two replicas at 20 % CPU each and another with one
    world = World()
    web, api = world.run(replicas=2), world.run(name="api")
    world.cpu(web, 20.0)
    # When the collector runs three minutes in a row
    for _ in range(3):
        world.collector.collect()
        world.clock.advance()
    # Then each container has three samples, one per minute, and the replicas' CPU is added up
    start, end = world.clock.now - timedelta(minutes=10), world.clock.now
    samples = world.store.samples(ORG, web.id, start, end)
    assert [s.at.second for s in samples] == [0, 0, 0]
    assert [s.cpu_percent for s in samples] == [40.0, 40.0, 40.0]
    assert samples[0].memory_limit_bytes == 2 * 256 * 2**20
    assert len(world.store.samples(ORG, api.id, start, end)) == 3
    # And the samples expire after the retention (30 days)
    assert world.store.expires == world.clock.now - timedelta(minutes=1) + timedelta(days=30)


def test_stopped_containers_get_no_sample_and_cost_no_stats_call() -> None:
    # Given a running and a stopped container
    world = World()
    world.run()
    stopped = world.run(name="old")
    world.set_status(stopped, "stopped")
    # When the collector runs
    report = world.collector.collect()
    # Then only the running one was read and stored: one list per host plus one stats call per replica
    assert report.samples == 1
    assert world.engines["h1"].stats_calls == 1
    assert report.engine_calls == 2 + 1  # a list on each of the two hosts, one stats read
    assert report.items_written == 1 + 1 + 1  # the sample, the organization's snapshot, the hosts' snapshot


def test_an_unreachable_host_is_recorded_and_the_other_hosts_are_still_collected() -> None:
    # Given containers on two hosts, one of which does not answer
    world = World()
    lost, fine = world.run(host_id="h1"), world.run(host_id="h2", org_id=OTHER)
    world.engines["h1"].down = True
    # When the collector runs
    report = world.collector.collect()
    # Then the other host's container is sampled and the lost one is marked unreachable in its snapshot
    assert report.unreachable == 1
    assert report.samples == 1
    snapshot = world.store.org_snapshot(ORG)
    assert snapshot is not None
    assert [(s.container_id, s.host_reachable, s.sample) for s in snapshot.containers] == [
        (lost.id, False, None)
    ]
    hosts = world.store.host_snapshot()
    assert hosts is not None
    assert {h.host_id: h.reachable for h in hosts.hosts} == {"h1": False, "h2": True}
    other = world.store.org_snapshot(OTHER)
    assert other is not None and other.containers[0].container_id == fine.id


def test_a_replica_killed_for_memory_shows_in_the_snapshot() -> None:
    world = World()
    web = world.run()
    world.engines["h1"].die(web.engine_ids[0], 137, oom_killed=True)
    world.collector.collect()
    snapshot = world.store.org_snapshot(ORG)
    assert snapshot is not None and snapshot.containers[0].oom_killed
    assert snapshot.at == minute_of(world.clock.now)
