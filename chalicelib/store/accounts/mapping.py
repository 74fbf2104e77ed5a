"""Accounts items as domain entities."""

from __future__ import annotations

from typing import cast

from chalicelib.domain.accounts.entities import Organization, User
from chalicelib.domain.shared.principal import PlatformRole
from chalicelib.store.accounts.models import OrganizationItem, UserItem


def user_of(item: UserItem) -> User:
    return User(
        id=item.id,
        email=item.email,
        name=item.name,
        role=cast(PlatformRole, item.role),
        default_org_id=item.default_org_id,
        created_at=item.created_at,
        updated_at=item.updated_at,
        tokens_valid_after=int(item.tokens_valid_after or 0),
        status="suspended" if item.status == "suspended" else "active",
    )


def organization_of(item: OrganizationItem) -> Organization:
    return Organization(
        id=item.id,
        name=item.name,
        slug=item.slug,
        owner_id=item.owner_id,
        settings=dict(item.settings or {}),
        created_at=item.created_at,
        updated_at=item.updated_at,
    )
