"""VPS items of the main table: providers and plans (platform partitions), SSH keys (user partition), VPS
records (tenant partition, indexed per provider) and reconciliation reports."""

from __future__ import annotations

from pynamodb.attributes import (
    BooleanAttribute,
    JSONAttribute,
    ListAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
)

from chalicelib.store.table import Item


class ProviderItem(Item, discriminator="provider"):
    id = UnicodeAttribute()
    name = UnicodeAttribute()
    kind = UnicodeAttribute()  # linode | digitalocean | aws | gcp (`type` is the discriminator)
    active = BooleanAttribute()
    configuration = JSONAttribute(null=True)
    key_last_four = UnicodeAttribute()
    api_key_encrypted = UnicodeAttribute()  # KMS envelope, context {"provider_id": id}; never returned
    webhook_secret_encrypted = UnicodeAttribute()
    regions = JSONAttribute(null=True)  # [{id, label, country, status}] as of the last sync
    synced_at = UTCDateTimeAttribute(null=True)
    price_changes = JSONAttribute(
        null=True
    )  # [{plan_id, name, old_base_monthly_cents, ...}] of the last sync
    events_after = NumberAttribute(null=True)
    version = NumberAttribute()


class PlanItem(Item, discriminator="plan"):
    id = UnicodeAttribute()
    provider_id = UnicodeAttribute()
    provider_plan_id = UnicodeAttribute()
    name = UnicodeAttribute()
    vcpus = NumberAttribute()
    memory_mb = NumberAttribute()
    disk_mb = NumberAttribute()
    transfer_mb = NumberAttribute()
    base_hourly_cents = NumberAttribute()
    base_monthly_cents = NumberAttribute()
    markup_kind = UnicodeAttribute()
    markup_value = NumberAttribute()
    active = BooleanAttribute()


class SshKeyItem(Item, discriminator="ssh_key"):
    id = UnicodeAttribute()
    user_id = UnicodeAttribute()
    name = UnicodeAttribute()
    public_key = UnicodeAttribute()
    fingerprint = UnicodeAttribute()


class VpsItem(Item, discriminator="vps"):
    id = UnicodeAttribute()
    organization_id = UnicodeAttribute()
    provider_id = UnicodeAttribute()
    plan_id = UnicodeAttribute()
    plan_name = UnicodeAttribute()
    type_id = UnicodeAttribute()
    label = UnicodeAttribute()
    region = UnicodeAttribute()
    status = UnicodeAttribute()
    status_reason = UnicodeAttribute(null=True)
    provider_instance_id = UnicodeAttribute(null=True)
    ipv4 = ListAttribute(of=UnicodeAttribute, null=True)
    ipv6 = UnicodeAttribute(null=True)
    base_hourly_micros = NumberAttribute()
    hourly_micros = NumberAttribute()
    hold_cents = NumberAttribute()
    ssh_key_ids = ListAttribute(of=UnicodeAttribute, null=True)
    root_password_encrypted = UnicodeAttribute(null=True)  # only until the provider has the instance
    running_since = UTCDateTimeAttribute(null=True)
    ended_at = UTCDateTimeAttribute(null=True)
    created_by = UnicodeAttribute()
    version = NumberAttribute()
    project_id = UnicodeAttribute(null=True)


class VpsReconciliationItem(Item, discriminator="vps_reconciliation"):
    id = UnicodeAttribute()
    provider_id = UnicodeAttribute()
    provider_instances = NumberAttribute()
    records = NumberAttribute()
    findings = JSONAttribute()
