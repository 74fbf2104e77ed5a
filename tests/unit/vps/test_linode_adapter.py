"""The Linode adapter reads Linode's own JSON (the SDK's fixtures in ../shared/vendor/linode/) into the port's
values, turns Linode's error answers into the port's errors, and opens only the providers it supports."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from chalicelib.adapters.linode import mapping
from chalicelib.adapters.linode.compute import LinodeProviders
from chalicelib.adapters.linode.errors import from_answer, retry_after
from chalicelib.domain.shared.errors import ConfigurationError, ValidationFailed
from chalicelib.domain.vps.ports import (
    ProviderAuthFailed,
    ProviderEvent,
    ProviderInstance,
    ProviderRegion,
    ProviderRejected,
    ProviderType,
    ProviderUnavailable,
)
from tests.support.linode import vendor_fixture

JAN_2017 = datetime(2017, 1, 1, tzinfo=UTC)


def test_linode_types_become_sizes_with_prices_in_whole_cents_rounded_up() -> None:
    # Given Linode's list of types
    raw = vendor_fixture("linode_types")["data"]

    # When they are read
    types = {t.id: t for t in map(mapping.provider_type, raw)}

    # Then each keeps its resources, and $0.0075 an hour costs us 1 cent, never 0
    assert types["g6-nanode-1"] == ProviderType(
        id="g6-nanode-1",
        label="Linode 1024",
        vcpus=1,
        memory_mb=1024,
        disk_mb=20480,
        transfer_mb=1000,
        hourly_cents=1,
        monthly_cents=500,
    )
    assert (types["g6-standard-1"].hourly_cents, types["g6-standard-1"].monthly_cents) == (2, 1000)
    assert (types["g5-highmem-1"].hourly_cents, types["g5-highmem-1"].monthly_cents) == (9, 6000)
    assert types["g1-accelerated-netint-vpu-t1u1-m"].hourly_cents == 0
    assert mapping.provider_type(vendor_fixture("linode_types_g6-nanode-1")).hourly_cents == 1


@pytest.mark.parametrize(
    ("dollars", "cents"),
    [(0.0075, 1), (0.015, 2), (0.09, 9), (5, 500), (2.5, 250), (0.0, 0), ("0.10", 10), (None, 0), (True, 0)],
)
def test_dollars_are_whole_cents_rounded_up(dollars: object, cents: int) -> None:
    assert mapping.dollars_to_cents(dollars) == cents


def test_regions_keep_their_id_label_country_and_status() -> None:
    regions = [mapping.region(r) for r in vendor_fixture("regions")["data"]]

    assert len(regions) == 11
    assert ProviderRegion(id="us-east", label="label7", country="us", status="ok") in regions


def test_an_instance_lists_its_addresses_tags_and_creation_time() -> None:
    # Given Linode's list of instances and one instance
    listed = [mapping.instance(i) for i in vendor_fixture("linode_instances")["data"]]
    single = mapping.instance(vendor_fixture("linode_instances_124"))

    # Then ids are strings, times are UTC, and an instance without tags has none
    assert listed[0] == ProviderInstance(
        id="123",
        label="linode123",
        status="running",
        region="us-east-1a",
        type_id="g6-standard-1",
        ipv4=("123.45.67.89",),
        ipv6="1234:abcd::1234:abcd:89ef:67cd/64",
        tags=("something",),
        created=JAN_2017,
    )
    assert listed[1].tags == () and listed[1].type_id == "g5-standard-1"
    assert single == listed[2]


@pytest.mark.parametrize(
    ("linode_status", "ours"),
    [
        ("provisioning", "provisioning"),
        ("booting", "booting"),
        ("running", "running"),
        ("shutting_down", "shutting_down"),
        ("offline", "offline"),
        ("stopped", "offline"),
        ("rebooting", "rebooting"),
        ("migrating", "migrating"),
        ("deleting", "deleting"),
        ("resizing", "other"),
        ("cloning", "other"),
        (None, "other"),
    ],
)
def test_linode_statuses_map_onto_ours(linode_status: str | None, ours: str) -> None:
    assert (
        mapping.instance({**vendor_fixture("linode_instances_124"), "status": linode_status}).status == ours
    )


def test_an_account_event_names_its_action_status_and_entity() -> None:
    assert mapping.event(vendor_fixture("account_events_123")) == ProviderEvent(
        id=123,
        action="ticket_create",
        status="completed",
        entity_type="ticket",
        entity_id="11111",
        created=datetime(2025, 3, 25, 12, 0, tzinfo=UTC),
    )
    assert mapping.event({"id": 5, "action": "linode_delete", "status": "finished", "entity": None}) == (
        ProviderEvent(5, "linode_delete", "finished", None, None, None)
    )


def test_a_refusal_names_linodes_reason_and_field() -> None:
    body = {"errors": [{"reason": "A valid plan type by that ID was not found", "field": "type"}]}

    error = from_answer(400, body)

    assert isinstance(error, ProviderRejected) and not isinstance(error, ProviderAuthFailed)
    assert (error.status, error.field) == (400, "type")
    assert "type: A valid plan type by that ID was not found" in error.message


@pytest.mark.parametrize("status", [401, 403])
def test_a_refused_key_is_an_authentication_failure(status: int) -> None:
    error = from_answer(status, {"errors": [{"reason": "Invalid Token"}]})

    assert isinstance(error, ProviderAuthFailed) and error.status == status


@pytest.mark.parametrize("status", [500, 502, 503, 504, 408])
def test_outages_are_retryable(status: int) -> None:
    error = from_answer(status, None)

    assert isinstance(error, ProviderUnavailable) and error.retry_after is None


def test_rate_limiting_is_retryable_after_what_linode_said() -> None:
    in_seconds = from_answer(429, {"errors": [{"reason": "Too Many Requests"}]}, {"Retry-After": "7"})
    assert isinstance(in_seconds, ProviderUnavailable) and in_seconds.retry_after == 7.0

    now = datetime(2026, 1, 1, 12, 0, 0, tzinfo=UTC)
    assert retry_after("Thu, 01 Jan 2026 12:00:30 GMT", now) == 30.0
    assert retry_after("soon", now) is None
    assert retry_after(None) is None


def test_only_linode_is_supported_yet() -> None:
    providers = LinodeProviders(default_base_url="http://127.0.0.1:9/v4")

    for other in ("digitalocean", "aws", "gcp"):
        with pytest.raises(ValidationFailed, match="not supported yet"):
            providers.connect(other, "key")
    with pytest.raises(ValidationFailed, match="Unknown provider type"):
        providers.connect("hetzner", "key")
    assert repr(providers.connect("linode", "secret-key-1234")) == "LinodeCompute('http://127.0.0.1:9/v4')"


def test_locally_the_real_linode_api_is_never_the_default() -> None:
    with pytest.raises(ConfigurationError, match="CS_LINODE_BASE_URL"):
        LinodeProviders(require_base_url=True).connect("linode", "key")


def test_an_empty_key_is_refused_before_any_request() -> None:
    with pytest.raises(ProviderAuthFailed):
        LinodeProviders(default_base_url="http://127.0.0.1:9/v4").connect("linode", "")


def test_the_wired_providers_reach_the_configured_sandbox_only(monkeypatch: pytest.MonkeyPatch) -> None:
    from chalicelib import wiring
    from chalicelib.wiring.cloud import cloud_providers

    monkeypatch.setenv("CS_STAGE", "test")
    monkeypatch.delenv("CS_LINODE_BASE_URL", raising=False)
    wiring.reset()
    try:
        with pytest.raises(ConfigurationError, match="CS_LINODE_BASE_URL"):
            cloud_providers().connect("linode", "key")
        monkeypatch.setenv("CS_LINODE_BASE_URL", "http://127.0.0.1:9/v4")
        wiring.reset()
        assert repr(cloud_providers().connect("linode", "key")) == "LinodeCompute('http://127.0.0.1:9/v4')"
    finally:
        wiring.reset()
