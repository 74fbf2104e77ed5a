"""Team items: invitations (ephemeral table, TTL = expiry); projects and their name guards (main table)."""

from __future__ import annotations

from pynamodb.attributes import ListAttribute, NumberAttribute, UnicodeAttribute, UTCDateTimeAttribute

from chalicelib.store.table import EphemeralItem, Item


class InviteItem(EphemeralItem):
    """ORG#<org> / INVITE#<ulid> in the ephemeral table; `expires` (TTL) is when the invitation expires, so
    DynamoDB deletes it some time after. Reads treat an expired one as expired, whatever TTL has done."""

    invite_id = UnicodeAttribute()
    organization_id = UnicodeAttribute()
    email = UnicodeAttribute()
    role = UnicodeAttribute()
    project_ids = ListAttribute(of=UnicodeAttribute, null=True)
    token_sha256 = UnicodeAttribute()  # of the link's secret; the secret itself is never stored
    invited_by = UnicodeAttribute()
    created_at = UTCDateTimeAttribute()
    used_at = UTCDateTimeAttribute(null=True)
    used_by = UnicodeAttribute(null=True)
    outcome = UnicodeAttribute(null=True)  # accepted | declined


class ProjectItem(Item, discriminator="project"):
    id = UnicodeAttribute()
    organization_id = UnicodeAttribute()
    name = UnicodeAttribute()
    description = UnicodeAttribute(default="")
    # Resources (containers, VPS instances) in the project, moved in their own transactions.
    resource_count = NumberAttribute(default=0)
    created_by = UnicodeAttribute()


class ProjectNameItem(Item, discriminator="project_name"):
    """Reserves a project name inside its organization; points at the project."""

    project_id = UnicodeAttribute()
