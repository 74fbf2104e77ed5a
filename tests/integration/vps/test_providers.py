"""Providers over HTTP: encrypted keys that never come back, plan sync and markup, prices per caller."""

from __future__ import annotations

import json
import logging

import pytest

from chalicelib.domain.shared.secrets import SecretUnreadable
from tests.fakes.vps import TYPES, FakeCloud
from tests.support.api import Api
from tests.support.vps import API_KEY, Linode, add_linode, buy, fund, wait_for_vps


def stored_provider(provider_id: str) -> dict[str, object]:
    from chalicelib.store.vps import keys as vkeys
    from chalicelib.store.vps.models import ProviderItem

    item = ProviderItem.get(vkeys.PROVIDERS_PK, vkeys.provider_sk(provider_id), consistent_read=True)
    return dict(item.attribute_values)


def test_the_api_key_is_stored_as_kms_ciphertext_bound_to_its_provider(api: Api, linode: Linode) -> None:
    from chalicelib.domain.vps.accounts import key_context
    from chalicelib.wiring.vps import envelope_box

    stored = stored_provider(linode.id)
    ciphertext = str(stored["api_key_encrypted"])
    assert API_KEY not in json.dumps(stored, default=str) and ciphertext.startswith("env1.")
    box = envelope_box()
    assert box.decrypt(ciphertext, key_context(linode.id)) == API_KEY
    with pytest.raises(SecretUnreadable):
        box.decrypt(ciphertext, key_context("another-provider"))
    assert box.encrypt(API_KEY, key_context(linode.id)) != ciphertext, "a fresh data key each time"


def test_no_answer_and_no_log_line_carries_the_key(
    api: Api, cloud: FakeCloud, caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> None:
    # Given everything an admin does with a provider, a refused key included
    caplog.set_level(logging.DEBUG)
    linode = add_linode(api, cloud)
    admin = linode.admin
    answers = [
        admin.call("GET", "/api/providers"),
        admin.call("GET", f"/api/providers/{linode.id}"),
        admin.call("POST", f"/api/providers/{linode.id}/test"),
        admin.call("PUT", f"/api/providers/{linode.id}", {"api_key": "rotated-but-wrong-token-42"}),
        admin.call("POST", f"/api/providers/{linode.id}/test"),
        admin.call("POST", f"/api/providers/{linode.id}/sync-plans"),
    ]
    # Then the keys show only by their last four, in answers, errors and logs alike
    assert answers[1].body["api_key_last_four"] == "7c1f" and answers[2].body["ok"] is True
    assert answers[3].body["api_key_last_four"] == "n-42"
    assert answers[4].status == 400 and answers[4].body["error"]["details"][0]["field"] == "api_key"
    captured = capfd.readouterr()
    everything = "\n".join(
        [
            *(json.dumps(a.body) for a in answers),
            *(r.getMessage() for r in caplog.records),
            captured.out,
            captured.err,
        ]
    )
    for secret in (API_KEY, "rotated-but-wrong-token-42"):
        assert secret not in everything
    # And the audit trail says the key was set and rotated, by whom, without the key
    audit = admin.call("GET", "/api/admin/audit?action=credentials.changed&limit=100")
    assert audit.status == 200, audit.body
    changes = [
        (e["target_id"], e["after"]["change"], e["actor_id"])
        for e in audit.body["entries"]
        if e["target_id"] == linode.id
    ]
    assert sorted(changes) == [(linode.id, "rotated", admin.id), (linode.id, "set", admin.id)]
    assert API_KEY not in json.dumps(audit.body) and "rotated-but-wrong" not in json.dumps(audit.body)


def test_other_provider_types_are_stored_and_answered_not_supported_yet(api: Api, cloud: FakeCloud) -> None:
    admin = api.admin()
    created = admin.call(
        "POST", "/api/providers", {"name": "DO", "type": "digitalocean", "api_key": "dop_v1_abcdefgh"}
    )
    assert created.status == 201 and created.body["supported"] is False
    for action in ("test", "sync-plans"):
        reply = admin.call("POST", f"/api/providers/{created.body['id']}/{action}")
        assert reply.status == 400 and "not supported yet" in reply.body["error"]["message"]


def test_customers_see_our_prices_and_administrators_also_the_providers(api: Api, linode: Linode) -> None:
    ann = api.user()
    theirs = {p["provider_plan_id"]: p for p in ann.call("GET", "/api/vps/plans").body["plans"]}
    ours = {p["provider_plan_id"]: p for p in linode.admin.call("GET", "/api/vps/plans").body["plans"]}
    nanode = theirs["g6-nanode-1"]
    assert (nanode["price_per_month"], nanode["markup_price"], nanode["price_per_hour"]) == (
        "6.00",
        "6.00",
        "0.012000",
    )
    assert nanode["base_price"] is None and nanode["markup"] is None
    assert ours["g6-nanode-1"]["base_price"] == "5.00" and ours["g6-nanode-1"]["markup"] == {
        "type": "percent",
        "value": "20.00",
    }
    regions = ann.call("GET", "/api/vps/regions").body["regions"]
    assert {r["id"] for r in regions} == {"us-east", "eu-west", "ap-south"}


def test_the_admin_sets_a_markup_and_a_resync_keeps_it_reporting_the_price_change(
    api: Api, linode: Linode
) -> None:
    admin = linode.admin
    plan_id = linode.plan()
    fixed = admin.call("PUT", f"/api/vps/plans/{plan_id}", {"markup": {"type": "fixed", "value": "2.00"}})
    assert fixed.status == 200 and fixed.body["price_per_month"] == "7.00"
    linode.account.types = [TYPES[0].__class__(**{**TYPES[0].__dict__, "monthly_cents": 700}), *TYPES[1:]]
    synced = admin.call("POST", f"/api/providers/{linode.id}/sync-plans").body
    [change] = synced["changed"]
    assert change["plan"]["id"] == plan_id and change["old_price_per_month"] == "7.00"
    assert change["plan"]["price_per_month"] == "9.00" and change["plan"]["markup"]["type"] == "fixed"
    # And the provider keeps the list of what moved at its last sync, for the admin who looks later
    [moved] = admin.call("GET", f"/api/providers/{linode.id}").body["price_changes"]
    assert (moved["plan_id"], moved["old_base_price"], moved["base_price"]) == (plan_id, "5.00", "7.00")
    assert (moved["old_price_per_month"], moved["price_per_month"]) == ("7.00", "9.00")
    again = admin.call("POST", f"/api/providers/{linode.id}/sync-plans").body
    assert again["changed"] == []
    assert admin.call("GET", f"/api/providers/{linode.id}").body["price_changes"] == []
    off = admin.call("PUT", f"/api/vps/plans/{plan_id}", {"active": False})
    assert off.body["active"] is False
    customers = {p["id"] for p in api.user().call("GET", "/api/vps/plans").body["plans"]}
    assert plan_id not in customers


def test_a_provider_with_customers_vps_is_not_removed(api: Api, linode: Linode) -> None:
    ann = api.user()
    fund(linode.admin, ann, "10.00")
    wait_for_vps(ann, buy(ann, linode.plan())["id"])
    reply = linode.admin.call("DELETE", f"/api/providers/{linode.id}")
    assert reply.status == 409


def test_ssh_keys_are_the_callers_own(api: Api) -> None:
    from tests.unit.vps.test_service import ed25519_public_key

    ann, bob = api.user(), api.user("Bob")
    key = ed25519_public_key("ann@laptop")
    added = ann.call("POST", "/api/users/ssh-keys", {"name": "laptop", "public_key": key})
    assert added.status == 201 and added.body["fingerprint"].startswith("SHA256:")
    assert ann.call("POST", "/api/users/ssh-keys", {"name": "again", "public_key": key}).status == 409
    bad = ann.call("POST", "/api/users/ssh-keys", {"name": "x", "public_key": "ssh-rsa nope"})
    assert bad.status == 400 and bad.body["error"]["details"][0]["field"] == "public_key"
    assert bob.call("GET", "/api/users/ssh-keys").body["ssh_keys"] == []
    assert bob.call("DELETE", f"/api/users/ssh-keys/{added.body['id']}").status == 404
    assert ann.call("DELETE", f"/api/users/ssh-keys/{added.body['id']}").status == 204
