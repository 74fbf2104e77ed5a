"""Account items of the main table: users, email guards, organizations, wallets, memberships."""

from __future__ import annotations

from pynamodb.attributes import JSONAttribute, ListAttribute, NumberAttribute, UnicodeAttribute

from chalicelib.store.table import Item


class UserItem(Item, discriminator="user"):
    id = UnicodeAttribute()
    email = UnicodeAttribute()
    name = UnicodeAttribute()
    password_hash = UnicodeAttribute()
    role = UnicodeAttribute()
    default_org_id = UnicodeAttribute()
    # Epoch second of the last password, role or status change; tokens issued at or before it are void.
    tokens_valid_after = NumberAttribute(null=True)
    status = UnicodeAttribute(null=True)  # "suspended" or absent (active)


class EmailItem(Item, discriminator="email"):
    """Uniqueness guard for an email address; points at the user."""

    user_id = UnicodeAttribute()


class OrganizationItem(Item, discriminator="organization"):
    id = UnicodeAttribute()
    name = UnicodeAttribute()
    slug = UnicodeAttribute()
    owner_id = UnicodeAttribute()
    settings = JSONAttribute(default=dict)
    # Members with the owner role, moved in the same transaction as their memberships (never below 1);
    # absent on organizations made before teams: they have exactly one owner.
    owner_count = NumberAttribute(null=True)


class WalletItem(Item, discriminator="wallet"):
    id = UnicodeAttribute()
    organization_id = UnicodeAttribute()
    balance_cents = NumberAttribute()
    currency = UnicodeAttribute()


class MemberItem(Item, discriminator="member"):
    """Membership, stored twice: under the organization and under the user (the role on both sides; the
    project limit on the organization's side only, which the per-request auth read fetches)."""

    organization_id = UnicodeAttribute()
    user_id = UnicodeAttribute()
    role = UnicodeAttribute()
    organization_name = UnicodeAttribute()
    project_ids = ListAttribute(of=UnicodeAttribute, null=True)  # absent: every project
