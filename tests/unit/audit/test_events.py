"""The event builders other capabilities call: what each puts in the trail (and what it leaves out)."""

from __future__ import annotations

from datetime import UTC, datetime

from chalicelib.domain.audit.events import credentials_changed, deleted, member_role_changed, wallet_adjusted
from chalicelib.domain.billing.entities import LedgerEntry
from chalicelib.domain.shared.principal import Principal

ANN = Principal("ann", "user", "t", 0, organization_id="org-a", organization_role="owner")
ROOT = Principal("root", "admin", "t", 0)


def test_a_deletion_names_the_resource_in_the_organization_acted_in() -> None:
    event = deleted(ANN, "container", "c1", name="web")
    assert (event.action, event.actor_id, event.organization_id, event.target_id) == (
        "container.deleted",
        "ann",
        "org-a",
        "c1",
    )
    assert event.before == {"name": "web"}
    assert deleted(ROOT, "host", "h1").organization_id is None  # platform resources: the platform's trail


def test_a_manual_credit_carries_the_balance_before_and_after() -> None:
    entry = LedgerEntry(
        id="e1",
        organization_id="org-a",
        kind="adjustment",
        amount_cents=750,
        balance_after_cents=550,
        currency="USD",
        description="x",
        idempotency_key="admin:k",
        created_by="root",
        created_at=datetime(2026, 1, 1, tzinfo=UTC),
    )
    event = wallet_adjusted(ROOT, "org-a", entry, "outage credit")
    assert event.before == {"balance": "-2.00"}
    assert event.after == {"balance": "5.50", "amount": "7.50", "reason": "outage credit", "currency": "USD"}


def test_the_hooks_for_keys_and_member_roles_never_carry_a_secret() -> None:
    key = credentials_changed(ANN, "provider", "linode", "rotated")
    assert (key.action, key.after) == ("credentials.changed", {"change": "rotated"})
    role = member_role_changed(ANN, "org-a", "bob", "member", "owner")
    assert (role.organization_id, role.before, role.after) == ("org-a", {"role": "member"}, {"role": "owner"})
