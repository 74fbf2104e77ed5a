"""The admin area's directory indexes, written with the records they index (accounts' store calls these).

- users by email: the user item itself carries gsi1 USERS / <lower email>;
- users by name: a small item USER#<id> / NAME with gsi1 USERNAMES / <lower name>#<id> (a second sort
  order needs a second item: an item has one gsi1 key);
- organizations, newest first: the organization item carries gsi1 ORGS / <created_at>#<id>.
Sign-up writes all three in its own transaction, with the user and organization counters.
"""

from __future__ import annotations

from datetime import datetime

from pynamodb.attributes import UnicodeAttribute

from chalicelib.domain.accounts.entities import User
from chalicelib.store import keys
from chalicelib.store.accounts.models import OrganizationItem, UserItem
from chalicelib.store.admin import keys as adkeys
from chalicelib.store.admin.stats import count_sign_up
from chalicelib.store.table import Item, Transaction


class UserNameItem(Item, discriminator="user_name"):
    """Finds a user by name (gsi1 USERNAMES); the user item is read for the rest."""

    user_id = UnicodeAttribute()


def name_item(user_id: str, name: str, now: datetime) -> UserNameItem:
    return UserNameItem(
        keys.user_pk(user_id),
        adkeys.USER_NAME_SK,
        gsi1pk=adkeys.USERNAMES_GSI_PK,
        gsi1sk=adkeys.usernames_gsi_sk(name, user_id),
        user_id=user_id,
        created_at=now,
        updated_at=now,
    )


def add_to_directory(tx: Transaction, user: UserItem, org: OrganizationItem, now: datetime) -> None:
    """Inside the sign-up transaction, before its items are saved: index the user (email and name) and the
    organization, and count both."""
    user.gsi1pk, user.gsi1sk = adkeys.USERS_GSI_PK, adkeys.users_gsi_sk(user.email)
    org.gsi1pk, org.gsi1sk = adkeys.ORGS_GSI_PK, adkeys.orgs_gsi_sk(now, org.id)
    tx.save("user-name", name_item(user.id, user.name, now), condition=Item.pk.does_not_exist())
    count_sign_up(tx, now)


def renamed_in_directory(user: User) -> None:
    """After a rename: the name index item follows (one PutItem; the next rename corrects a lost one)."""
    name_item(user.id, user.name, user.updated_at).save()
