"""Providers with encrypted keys, plan sync with our markup, prices, costs against revenue."""

from __future__ import annotations

from dataclasses import replace

import pytest

from chalicelib.domain.shared.errors import Conflict, ValidationFailed
from chalicelib.domain.vps.accounts import key_context
from chalicelib.domain.vps.catalog import PlanChanges
from chalicelib.domain.vps.entities import Markup
from chalicelib.domain.vps.providers import ProviderChanges, ProviderRequest
from tests.fakes.vps import TYPES
from tests.unit.vps.world import API_KEY, POLICY, World


def test_a_percent_markup_puts_our_margin_on_the_hourly_and_monthly_price() -> None:
    # Given a 25 % markup
    markup = Markup("percent", 2500)
    # Then a 5.00 a month / 0.01 an hour type sells for 6.25 a month and 0.0125 an hour
    assert markup.monthly_cents(500) == 625
    assert markup.hourly_micros(10_000) == 12_500


def test_a_fixed_markup_adds_its_monthly_amount_and_that_amount_spread_over_the_month_per_hour() -> None:
    markup = Markup("fixed", 730)  # 7.30 a month
    assert markup.monthly_cents(500) == 1230
    assert markup.hourly_micros(10_000) == 20_000  # + 0.01 an hour


def test_the_api_key_is_stored_encrypted_for_its_provider_only_and_shown_by_its_last_four() -> None:
    world = World()
    provider, webhook_secret = world.provider_service.create(ProviderRequest("Linode", "linode", API_KEY, {}))
    sealed = world.providers.secrets(provider.id)
    assert API_KEY not in sealed.api_key_encrypted and provider.key_last_four == "1234"
    assert world.box.decrypt(sealed.api_key_encrypted, key_context(provider.id)) == API_KEY
    with pytest.raises(ValueError, match="context"):
        world.box.decrypt(sealed.api_key_encrypted, key_context("another-provider"))
    assert len(webhook_secret) >= 32


def test_rotating_the_key_replaces_it_and_keeps_the_webhook_secret_unless_asked() -> None:
    world = World()
    provider, _ = world.linode()
    before = world.providers.secrets(provider.id)
    updated, secret = world.provider_service.update(provider.id, ProviderChanges(api_key="new-token-9876"))
    after = world.providers.secrets(provider.id)
    assert updated.key_last_four == "9876" and secret is None
    assert after.api_key_encrypted != before.api_key_encrypted
    assert after.webhook_secret_encrypted == before.webhook_secret_encrypted
    _, rotated = world.provider_service.update(provider.id, ProviderChanges(rotate_webhook_secret=True))
    assert (
        rotated
        and world.providers.secrets(provider.id).webhook_secret_encrypted != before.webhook_secret_encrypted
    )


def test_a_base_url_must_be_https_or_this_machine() -> None:
    world = World()
    for url in ("http://example.com", "ftp://127.0.0.1", "https://user:pw@api.linode.com"):
        with pytest.raises(ValidationFailed) as refused:
            world.provider_service.create(ProviderRequest("L", "linode", API_KEY, {"base_url": url}))
        assert refused.value.details == {"field": "configuration.base_url"}


def test_the_credential_check_reports_what_the_account_reaches() -> None:
    world = World()
    provider, _ = world.linode()
    found = world.provider_service.check(provider.id)
    assert (found.account, found.types, found.regions) == ("sandbox@example.com", 3, 3)


def test_a_refused_key_is_a_400_naming_the_key() -> None:
    world = World()
    provider, _ = world.provider_service.create(ProviderRequest("Linode", "linode", "wrong-key-0000", {}))
    with pytest.raises(ValidationFailed) as refused:
        world.provider_service.check(provider.id)
    assert refused.value.details == {"field": "api_key"} and "wrong-key" not in refused.value.message


@pytest.mark.parametrize("kind", ["digitalocean", "aws", "gcp"])
def test_other_provider_types_are_stored_but_answered_not_supported_yet(kind: str) -> None:
    world = World()
    provider, _ = world.provider_service.create(ProviderRequest(kind, kind, API_KEY, {}))  # type: ignore[arg-type]
    for action in (world.provider_service.check, world.provider_service.sync_plans):
        with pytest.raises(ValidationFailed, match="not supported yet"):
            action(provider.id)


def test_syncing_turns_the_providers_types_into_plans_at_the_default_markup() -> None:
    world = World()
    provider, _ = world.linode()
    plans = sorted(world.plans.all(), key=lambda p: p.base_monthly_cents)
    assert [p.provider_plan_id for p in plans] == [t.id for t in TYPES]
    nanode = plans[0]
    assert (nanode.base_monthly_cents, nanode.monthly_cents) == (500, 600)  # +20 %
    assert nanode.hourly_micros == 12_000 and nanode.active
    assert [r.id for r in world.providers.get(provider.id).regions] == ["us-east", "eu-west", "ap-south"]


def test_a_resync_keeps_each_plans_markup_rule_and_reports_the_plans_whose_price_moved() -> None:
    # Given an admin's 50 % markup on the nanode
    world = World()
    provider, _ = world.linode()
    nanode = world.catalog.update_plan(world.plan().id, PlanChanges(markup=Markup("percent", 5000)))
    # When Linode raises the nanode's price and stops selling another type
    world.account.types = [replace(TYPES[0], monthly_cents=600, hourly_cents=1), TYPES[1]]
    result = world.provider_service.sync_plans(provider.id)
    # Then the new price carries the same margin, the change is reported, the withdrawn plan is off
    [change] = result.changed
    assert change.plan.id == nanode.id and change.old_monthly_cents == 500
    assert change.plan.monthly_cents == 900 and change.plan.markup == Markup("percent", 5000)
    assert [p.provider_plan_id for p in result.withdrawn] == ["g6-standard-2"]
    assert not world.plan("g6-standard-2").active and result.unchanged == 1


def test_customers_see_active_plans_of_providers_we_sell_from_cheapest_first() -> None:
    world = World()
    provider, _ = world.linode()
    world.catalog.update_plan(world.plan("g6-standard-1").id, PlanChanges(active=False))
    assert [p.provider_plan_id for p in world.catalog.plans(everything=False)] == [
        "g6-nanode-1",
        "g6-standard-2",
    ]
    assert len(world.catalog.plans(everything=True)) == 3
    world.provider_service.update(provider.id, ProviderChanges(active=False))
    assert world.catalog.plans(everything=False) == [] and world.catalog.regions() == []


def test_a_provider_with_customers_vps_cannot_be_removed() -> None:
    world = World()
    vps = world.running_vps()
    with pytest.raises(Conflict):
        world.provider_service.remove(vps.provider_id)


def test_costs_set_the_providers_price_against_ours_per_plan_and_organization() -> None:
    # Given a VPS that ran 90 minutes at 0.012/h (the provider charges 0.010/h)
    world = World()
    vps = world.running_vps()
    start = world.now
    world.later(minutes=90)
    report = world.provider_service.costs(vps.provider_id, start, world.now)
    # Then cost, revenue and margin are the hourly prices times 1.5 hours
    assert (report.total.minutes, report.total.cost_micros, report.total.revenue_micros) == (
        90,
        15_000,
        18_000,
    )
    assert report.total.margin_micros == 3_000
    assert [c.key for c in report.by_plan] == [vps.plan_id]
    assert [c.key for c in report.by_organization] == [vps.organization_id]


def test_a_cost_report_needs_from_before_to() -> None:
    world = World()
    provider, _ = world.linode()
    with pytest.raises(ValidationFailed):
        world.provider_service.costs(provider.id, world.now, world.now)


def test_the_local_stack_reaches_providers_on_this_machine_only() -> None:
    world = World(replace(POLICY, loopback_only=True))
    with pytest.raises(ValidationFailed) as refused:
        world.provider_service.create(ProviderRequest("L", "linode", API_KEY, {"base_url": "https://a.com"}))
    assert refused.value.details == {"field": "configuration.base_url"}
    provider, _ = world.linode()  # the sandbox on 127.0.0.1
    assert world.provider_service.check(provider.id).types == 3
