"""Image items of the main table: records, name guards, the organization's usage and registry logins."""

from __future__ import annotations

from pynamodb.attributes import ListAttribute, NumberAttribute, UnicodeAttribute, UTCDateTimeAttribute

from chalicelib.store.table import Item


class ImageItem(Item, discriminator="image"):
    id = UnicodeAttribute()
    organization_id = UnicodeAttribute()
    name = UnicodeAttribute()
    tag = UnicodeAttribute()
    source = UnicodeAttribute()
    status = UnicodeAttribute()
    status_reason = UnicodeAttribute(null=True)
    declared_bytes = NumberAttribute()
    size_bytes = NumberAttribute(default=0)
    held_bytes = NumberAttribute(default=0)
    digest = UnicodeAttribute(null=True)
    repo_tags = ListAttribute(of=UnicodeAttribute, null=True)
    host_ids = ListAttribute(of=UnicodeAttribute, null=True)
    dockerfile = UnicodeAttribute(null=True)
    log_tail = ListAttribute(of=UnicodeAttribute, null=True)
    created_by = UnicodeAttribute()
    finished_at = UTCDateTimeAttribute(null=True)
    version = NumberAttribute()


class ImageNameItem(Item, discriminator="image_name"):
    image_id = UnicodeAttribute()


class ImageUsageItem(Item, discriminator="image_usage"):
    used_bytes = NumberAttribute(default=0)


class RegistryItem(Item, discriminator="registry_login"):
    id = UnicodeAttribute()
    organization_id = UnicodeAttribute()
    server = UnicodeAttribute()
    username = UnicodeAttribute()
    password_encrypted = UnicodeAttribute()  # KMS, context {purpose, organization_id, server}; never returned
