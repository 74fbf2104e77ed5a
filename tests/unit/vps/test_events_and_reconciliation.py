"""Provider events (signed webhook and poller, each applied once) and reconciliation of orphans and ghosts."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from chalicelib.domain.shared.errors import ServiceUnavailable, ValidationFailed
from chalicelib.domain.vps.entities import OUR_TAG
from chalicelib.domain.vps.events import signature
from chalicelib.domain.vps.ports import ProviderAuthFailed, ProviderEvent
from tests.unit.vps.world import World


def delivery(provider_id: str, secret: str, event: ProviderEvent) -> tuple[dict[str, str], bytes]:
    body = json.dumps(
        {
            "id": event.id,
            "action": event.action,
            "status": event.status,
            "entity": {"id": int(event.entity_id or 0), "type": event.entity_type, "label": "x"},
            "created": "2026-11-02T12:00:00",
        }
    ).encode()
    return {"x-cs-provider-id": provider_id, "x-cs-signature": signature(secret, body)}, body


def test_a_signed_shutdown_event_brings_the_record_to_what_the_provider_reports() -> None:
    world = World()
    vps = world.running_vps()
    secret = world.accounts.webhook_secret(world.providers.get(vps.provider_id))
    assert vps.provider_instance_id is not None
    event = world.account.settle(vps.provider_instance_id, "offline", "linode_shutdown")
    assert event is not None
    headers, body = delivery(vps.provider_id, secret, event)
    assert world.events.deliver(headers, body) == "applied"
    assert world.instances.get("o1", vps.id).status == "stopped"
    assert world.events.deliver(headers, body) == "duplicate"


def test_a_delivery_not_signed_with_the_providers_secret_changes_nothing() -> None:
    world = World()
    vps = world.running_vps()
    assert vps.provider_instance_id is not None
    event = world.account.settle(vps.provider_instance_id, "offline", "linode_shutdown")
    assert event is not None
    for headers, body in (
        delivery(vps.provider_id, "not-the-secret", event),
        delivery("another-provider", "x", event),
        ({}, b"{}"),
    ):
        with pytest.raises(ValidationFailed):
            world.events.deliver(headers, body)
    assert world.instances.get("o1", vps.id).status == "running"


def test_an_event_is_a_hint_the_instance_is_read_back_so_a_false_claim_changes_nothing() -> None:
    world = World()
    vps = world.running_vps()
    secret = world.accounts.webhook_secret(world.providers.get(vps.provider_id))
    claim = ProviderEvent(99_999, "linode_delete", "finished", "linode", vps.provider_instance_id)
    assert world.events.deliver(*delivery(vps.provider_id, secret, claim)) == "unchanged"
    assert world.instances.get("o1", vps.id).status == "running"


def test_events_about_instances_that_are_not_ours_are_ignored() -> None:
    world = World()
    provider, secret = world.linode()
    stray = ProviderEvent(1, "linode_boot", "finished", "linode", "424242")
    ticket = ProviderEvent(2, "ticket_create", "finished", "ticket", "11111")
    assert world.events.deliver(*delivery(provider.id, secret, stray)) == "ignored"
    assert world.events.deliver(*delivery(provider.id, secret, ticket)) == "ignored"


def test_a_deletion_at_the_provider_stops_metering_and_leaves_the_list() -> None:
    world = World()
    vps = world.running_vps()
    assert vps.provider_instance_id is not None
    world.later(minutes=30)
    world.account.delete_outside(vps.provider_instance_id)
    result = world.events.poll()
    assert result.applied == 1
    assert world.instances.items == {} and world.instances.meters[vps.id][2] == world.now
    assert world.instances.ended[vps.id].status_reason == "deleted at the provider"


def test_the_poller_applies_each_event_once_and_moves_its_cursor() -> None:
    world = World()
    vps = world.running_vps()
    assert vps.provider_instance_id is not None
    world.account.settle(vps.provider_instance_id, "offline", "linode_shutdown")
    first = world.events.poll()
    cursor = world.providers.get(vps.provider_id).events_after
    assert first.applied == 1 and cursor == max(e.id for e in world.account.events)
    world.account.settle(vps.provider_instance_id, "running", "linode_boot")
    assert world.events.poll().applied == 1
    assert world.instances.get("o1", vps.id).status == "running"
    assert world.events.poll().events == 0


def test_reconciliation_reports_orphans_and_ghosts_and_mails_them() -> None:
    # Given a VPS gone at the provider, an old instance under our tag with no record, and a young one
    world = World()
    ghost = world.running_vps()
    assert ghost.provider_instance_id is not None
    world.account.instances.pop(ghost.provider_instance_id)
    orphan = world.account.add_stray((OUR_TAG, "cs-vps-gone", "cs-org-o9"), world.now - timedelta(hours=1))
    world.account.add_stray((OUR_TAG,), world.now - timedelta(minutes=1))
    world.account.add_stray(("someone-else",), world.now - timedelta(hours=1))
    # When reconciliation runs
    [report] = world.reconciler.reconcile()
    # Then
    assert [(f.provider_instance_id, f.vps_id) for f in report.orphans] == [(orphan.id, "gone")]
    assert [(f.vps_id, f.organization_id) for f in report.ghosts] == [(ghost.id, "o1")]
    [(to, template, values)] = world.mail.sent
    assert (to, template, values["orphans"], values["ghosts"]) == (
        "ops@example.com",
        "vps_reconciliation_report",
        "1",
        "1",
    )
    assert world.reports.items == [report]


def test_a_create_in_flight_is_not_an_orphan() -> None:
    world = World()
    world.linode()
    vps, _ = world.buy()
    world.provisioner.create_instance("o1", vps.id)
    world.later(hours=2)
    [report] = world.reconciler.reconcile()
    assert report.findings == () and world.mail.sent == []


def test_a_signature_that_is_not_even_ascii_is_refused_like_any_wrong_one() -> None:
    world = World()
    provider, _ = world.linode()
    headers = {"x-cs-provider-id": provider.id, "x-cs-signature": "sha256=é"}
    with pytest.raises(ValidationFailed):
        world.events.deliver(headers, b'{"id": 1}')


def test_a_delivery_the_provider_cannot_confirm_now_is_a_503_and_is_applied_when_delivered_again() -> None:
    world = World()
    vps = world.running_vps()
    secret = world.accounts.webhook_secret(world.providers.get(vps.provider_id))
    assert vps.provider_instance_id is not None
    event = world.account.settle(vps.provider_instance_id, "offline", "linode_shutdown")
    assert event is not None
    world.account.fail("instance", ProviderAuthFailed("Invalid Token", status=401))
    with pytest.raises(ServiceUnavailable):
        world.events.deliver(*delivery(vps.provider_id, secret, event))
    assert world.events.deliver(*delivery(vps.provider_id, secret, event)) == "applied"


def test_reconciling_a_provider_that_refuses_our_key_is_a_400_saying_so() -> None:
    world = World()
    provider, _ = world.linode()
    world.account.valid = False
    with pytest.raises(ValidationFailed, match="refused the API key"):
        world.reconciler.reconcile_provider(provider.id)
    assert world.reconciler.reconcile() == [], "the schedule skips it"
