"""AccountsDirectory (people and organizations from the accounts' records) and StoredResources (what a ticket
may link to), both read-only views support needs from other capabilities' items."""

from __future__ import annotations

from collections.abc import Sequence

from pynamodb.exceptions import DoesNotExist

from chalicelib.domain.support.entities import Person, ResourceKind
from chalicelib.store import keys
from chalicelib.store.accounts.admins import admin_ids
from chalicelib.store.accounts.models import OrganizationItem, UserItem
from chalicelib.store.table import Item, store_call

ADMIN_ROLE = "admin"
# The sort key prefix of each linkable resource in its organization's partition (containers: store/keys.py;
# VPS instances: the VPS slice's VPS#<id>).
LINK_PREFIXES: dict[ResourceKind, str] = {"container": keys.CONTAINER_PREFIX, "vps": "VPS#"}


def _person(item: UserItem) -> Person:
    return Person(id=item.id, name=item.name, email=item.email)


class AccountsDirectory:
    """Implements the Directory port."""

    @store_call
    def person(self, user_id: str) -> Person | None:
        try:
            return _person(UserItem.get(keys.user_pk(user_id), keys.USER_SK))
        except DoesNotExist:
            return None

    @store_call
    def people(self, user_ids: Sequence[str]) -> list[Person]:
        """One BatchGetItem (100 keys a request), in the order asked."""
        wanted = list(dict.fromkeys(user_ids))
        found = {
            item.id: item
            for item in UserItem.batch_get([(keys.user_pk(uid), keys.USER_SK) for uid in wanted])
        }
        return [_person(found[uid]) for uid in wanted if uid in found]

    @store_call
    def organization_name(self, org_id: str) -> str | None:
        try:
            return OrganizationItem.get(keys.org_pk(org_id), keys.ORG_SK).name
        except DoesNotExist:
            return None

    def admins(self) -> list[Person]:
        """One Query of the admin index and one batch read of the users (still administrators only)."""
        ids = self._admin_ids()
        return [person for person, role in self._people_with_roles(ids) if role == ADMIN_ROLE]

    @store_call
    def is_admin(self, user_id: str) -> bool:
        try:
            return UserItem.get(keys.user_pk(user_id), keys.USER_SK).role == ADMIN_ROLE
        except DoesNotExist:
            return False

    @store_call
    def _admin_ids(self) -> list[str]:
        return admin_ids()

    @store_call
    def _people_with_roles(self, user_ids: Sequence[str]) -> list[tuple[Person, str]]:
        items = UserItem.batch_get([(keys.user_pk(uid), keys.USER_SK) for uid in dict.fromkeys(user_ids)])
        return [(_person(item), item.role) for item in items]


class StoredResources:
    """Implements ResourceLinks: one GetItem of the resource's name in the organization's partition."""

    @store_call
    def name_of(self, org_id: str, kind: ResourceKind, resource_id: str) -> str | None:
        # Through the main table's connection, not a model: the item may be of a slice not imported here.
        answer = Item._get_connection().get_item(
            keys.org_pk(org_id),
            f"{LINK_PREFIXES[kind]}{resource_id}",
            attributes_to_get=["name"],
        )
        found = answer.get("Item")
        if not found:
            return None
        name = found.get("name", {}).get("S")
        return str(name) if name else resource_id
