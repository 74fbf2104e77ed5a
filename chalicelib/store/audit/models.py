"""The audit entry item (ORG#<org>#AUDIT / AUDIT#<ulid>, or AUDIT#<day> / AUDIT#<ulid>); written once."""

from __future__ import annotations

from pynamodb.attributes import JSONAttribute, UnicodeAttribute

from chalicelib.store.table import Item


class AuditItem(Item, discriminator="audit"):
    id = UnicodeAttribute()
    action = UnicodeAttribute()
    actor_id = UnicodeAttribute()
    actor_email = UnicodeAttribute(null=True)
    organization_id = UnicodeAttribute(null=True)
    target_type = UnicodeAttribute(null=True)
    target_id = UnicodeAttribute(null=True)
    ip = UnicodeAttribute(null=True)
    before = JSONAttribute(null=True)
    after = JSONAttribute(null=True)
