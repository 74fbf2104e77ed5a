"""UserDirectoryRepository and OrganizationDirectoryRepository: the admin area's reads (gsi1 Queries, never a
Scan) and its writes to a user's status and role."""

from __future__ import annotations

import base64
import binascii
import json
from datetime import datetime
from typing import Any

from pynamodb.exceptions import DoesNotExist, UpdateError

from chalicelib.domain.accounts.entities import SUSPENDED, Organization, User, UserStatus
from chalicelib.domain.admin.entities import Member, UserSearch
from chalicelib.domain.shared.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from chalicelib.domain.shared.paging import Page
from chalicelib.domain.shared.principal import PlatformRole
from chalicelib.domain.shared.tenancy import tenant_scope
from chalicelib.store import keys
from chalicelib.store.accounts.mapping import organization_of, user_of
from chalicelib.store.accounts.models import MemberItem, OrganizationItem, UserItem
from chalicelib.store.admin import keys as adkeys
from chalicelib.store.admin.directory import UserNameItem
from chalicelib.store.cursor import encode_cursor
from chalicelib.store.table import Item, is_condition_failure, store_call

_INDEX_KEYS = frozenset({"pk", "sk", "gsi1pk", "gsi1sk"})
CHANGED = "The user changed meanwhile; reload and try again."


def decode_index_cursor(cursor: str | None, partition: str) -> dict[str, Any] | None:
    """A gsi1 Query's LastEvaluatedKey from `cursor`; ValidationFailed (field `cursor`) unless it was made by
    encode_cursor for this same index partition."""
    if not cursor:
        return None
    try:
        lek = json.loads(base64.urlsafe_b64decode((cursor + "=" * (-len(cursor) % 4)).encode()))
        valid = (
            isinstance(lek, dict)
            and set(lek) == _INDEX_KEYS
            and lek.get("gsi1pk") == {"S": partition}
            and all(isinstance(v, dict) and set(v) == {"S"} and isinstance(v["S"], str) for v in lek.values())
        )
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError, RecursionError) as exc:
        raise ValidationFailed("The cursor is not valid.", details={"field": "cursor"}) from exc
    if not valid:
        raise ValidationFailed("The cursor is not valid.", details={"field": "cursor"})
    return dict(lek)


def _users_by_id(ids: list[str]) -> dict[str, User]:
    """One BatchGetItem per 100 users."""
    found: dict[str, User] = {}
    wanted = list(dict.fromkeys(ids))
    for item in UserItem.batch_get([(keys.user_pk(i), keys.USER_SK) for i in wanted]):
        if isinstance(item, UserItem):
            found[item.id] = user_of(item)
    return found


class UserDirectoryRepository:
    """Users for the admin area: by email (gsi1 USERS), by name (gsi1 USERNAMES), one at a time."""

    @store_call
    def search(self, search: UserSearch, limit: int, cursor: str | None) -> Page[User]:
        """One gsi1 Query (begins_with the prefix); a name search adds one BatchGetItem for the users."""
        by_name = search.by == "name"
        partition = adkeys.USERNAMES_GSI_PK if by_name else adkeys.USERS_GSI_PK
        prefix = " ".join(search.prefix.lower().split()) if by_name else search.prefix.strip().lower()
        result = Item.by_host.query(
            partition,
            Item.gsi1sk.startswith(prefix) if prefix else None,
            limit=limit,
            page_size=limit,
            last_evaluated_key=decode_index_cursor(cursor, partition),
        )
        items = list(result)
        next_cursor = encode_cursor(result.last_evaluated_key)
        if not by_name:
            return Page([user_of(i) for i in items if isinstance(i, UserItem)], next_cursor)
        ids = [i.user_id for i in items if isinstance(i, UserNameItem)]
        users = _users_by_id(ids)
        return Page([users[i] for i in ids if i in users], next_cursor)

    @store_call
    def get(self, user_id: str) -> User:
        try:
            return user_of(UserItem.get(keys.user_pk(user_id), keys.USER_SK, consistent_read=True))
        except (DoesNotExist, ValueError) as exc:
            raise NotFound(f"User {user_id} was not found.") from exc

    @store_call
    def set_status(self, user: User, status: UserStatus, now: datetime) -> User:
        """UpdateItem on condition the status is still the one read; suspending voids every token."""
        actions: list[Any] = [UserItem.updated_at.set(now)]
        if status == SUSPENDED:
            actions += [UserItem.status.set(SUSPENDED), UserItem.tokens_valid_after.set(int(now.timestamp()))]
        else:
            actions.append(UserItem.status.remove())
        was = (UserItem.status == SUSPENDED) if user.status == SUSPENDED else UserItem.status.does_not_exist()
        return self._update(user.id, actions, UserItem.pk.exists() & was)

    @store_call
    def set_role(self, user: User, role: PlatformRole, now: datetime) -> User:
        """UpdateItem on condition the role is still the one read; every token (carrying the old role) is
        voided, so the user signs in again with the new one."""
        actions = [
            UserItem.role.set(role),
            UserItem.tokens_valid_after.set(int(now.timestamp())),
            UserItem.updated_at.set(now),
        ]
        return self._update(user.id, actions, UserItem.pk.exists() & (UserItem.role == user.role))

    @staticmethod
    def _update(user_id: str, actions: list[Any], condition: Any) -> User:
        item = UserItem(keys.user_pk(user_id), keys.USER_SK)
        try:
            item.update(actions=actions, condition=condition)
        except UpdateError as exc:
            if is_condition_failure(exc):
                raise Conflict(CHANGED) from exc
            raise
        return user_of(item)


class OrganizationDirectoryRepository:
    """Organizations for the admin area: newest first (gsi1 ORGS), one with its members."""

    @store_call
    def page(self, limit: int, cursor: str | None) -> Page[Organization]:
        result = Item.by_host.query(
            adkeys.ORGS_GSI_PK,
            scan_index_forward=False,
            limit=limit,
            page_size=limit,
            last_evaluated_key=decode_index_cursor(cursor, adkeys.ORGS_GSI_PK),
        )
        items = [organization_of(i) for i in result if isinstance(i, OrganizationItem)]
        return Page(items, encode_cursor(result.last_evaluated_key))

    @store_call
    def get(self, org_id: str) -> Organization:
        try:
            with tenant_scope(org_id):
                return organization_of(OrganizationItem.get(keys.org_pk(org_id), keys.ORG_SK))
        except (DoesNotExist, ValueError, PermissionDenied) as exc:  # PermissionDenied: not an org id
            raise NotFound(f"Organization {org_id} was not found.") from exc

    @store_call
    def members(self, org_id: str) -> list[Member]:
        """One Query of the organization's MEMBER# items, one BatchGetItem of their users."""
        with tenant_scope(org_id):
            found = [
                m
                for m in MemberItem.query(keys.org_pk(org_id), MemberItem.sk.startswith("MEMBER#"))
                if isinstance(m, MemberItem)
            ]
        users = _users_by_id([m.user_id for m in found])
        return [
            Member(
                user_id=m.user_id,
                email=users[m.user_id].email if m.user_id in users else "",
                name=users[m.user_id].name if m.user_id in users else "",
                role=m.role,
            )
            for m in found
        ]
