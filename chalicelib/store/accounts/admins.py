"""The admin index: one item per platform administrator under the platform partition ADMINS, so "every
administrator" is one Query (support mails them; operators assign tickets to them), never a Scan.

Kept with the user's role: written in the transaction that creates an admin account, and put or deleted
whenever a role changes (AccountRepository.set_role).
"""

from __future__ import annotations

from datetime import datetime

from pynamodb.attributes import UnicodeAttribute

from chalicelib.store import keys
from chalicelib.store.table import Item


class AdminItem(Item, discriminator="admin"):
    user_id = UnicodeAttribute()


def admin_item(user_id: str, now: datetime) -> AdminItem:
    return AdminItem(keys.ADMINS_PK, keys.admin_sk(user_id), user_id=user_id, created_at=now, updated_at=now)


def set_admin(user_id: str, is_admin: bool, now: datetime) -> None:
    """Add the user to the index or take them out (both idempotent)."""
    if is_admin:
        admin_item(user_id, now).save()
    else:
        AdminItem(keys.ADMINS_PK, keys.admin_sk(user_id)).delete()


def admin_ids() -> list[str]:
    """One Query: every administrator's user id."""
    return [
        item.user_id for item in AdminItem.query(keys.ADMINS_PK, AdminItem.sk.startswith(keys.ADMIN_PREFIX))
    ]
