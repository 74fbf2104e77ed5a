"""Backup items of the main table: records (ORG#o / BACKUP#<id>) and schedules (ORG#o / BACKUPSCHEDULE#<c>,
indexed by next run in gsi1 BACKUPSCHEDULES so the scheduler finds the due ones with one Query)."""

from __future__ import annotations

from pynamodb.attributes import (
    BooleanAttribute,
    ListAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
)

from chalicelib.store.table import Item


class BackupItem(Item, discriminator="backup"):
    id = UnicodeAttribute()
    organization_id = UnicodeAttribute()
    container_id = UnicodeAttribute()
    container_name = UnicodeAttribute()
    host_id = UnicodeAttribute()
    volumes = ListAttribute(of=UnicodeAttribute)
    status = UnicodeAttribute()
    status_reason = UnicodeAttribute(null=True)
    object_key = UnicodeAttribute()
    created_by = UnicodeAttribute()
    version = NumberAttribute()
    schedule = UnicodeAttribute(null=True)
    retention = NumberAttribute(null=True)
    scheduled = BooleanAttribute(default=False)
    size_bytes = NumberAttribute(null=True)
    sha256 = UnicodeAttribute(null=True)
    encryption = UnicodeAttribute(null=True)
    completed_at = UTCDateTimeAttribute(null=True)
    verification = UnicodeAttribute(default="pending")
    verification_reason = UnicodeAttribute(null=True)
    last_verified_at = UTCDateTimeAttribute(null=True)
    files = NumberAttribute(null=True)
    restore_status = UnicodeAttribute(null=True)
    restore_reason = UnicodeAttribute(null=True)
    restored_at = UTCDateTimeAttribute(null=True)
    restores = NumberAttribute(default=0)
    restore_was_running = BooleanAttribute(default=False)


class BackupScheduleItem(Item, discriminator="backup_schedule"):
    organization_id = UnicodeAttribute()
    container_id = UnicodeAttribute()
    volumes = ListAttribute(of=UnicodeAttribute, null=True)
    cron = UnicodeAttribute()
    retention = NumberAttribute(null=True)
    next_run_at = UTCDateTimeAttribute()
    last_run_at = UTCDateTimeAttribute(null=True)
    last_backup_id = UnicodeAttribute(null=True)
    created_by = UnicodeAttribute()
    version = NumberAttribute()
