"""Quota items: packages (PACKAGES / PACKAGE#<id>) and each organization's counters (ORG#<org> / QUOTA)."""

from __future__ import annotations

from pynamodb.attributes import NumberAttribute, UnicodeAttribute

from chalicelib.store.table import Item


class PackageItem(Item, discriminator="package"):
    id = UnicodeAttribute()
    name = UnicodeAttribute()
    description = UnicodeAttribute(default="")
    # Limits; absent: unlimited.
    max_containers = NumberAttribute(null=True)
    max_cpu_millis = NumberAttribute(null=True)
    max_memory_bytes = NumberAttribute(null=True)
    max_storage_bytes = NumberAttribute(null=True)
    max_vps = NumberAttribute(null=True)
    max_backups = NumberAttribute(null=True)
    # The package's own container prices in micro-dollars; absent: the platform's price list.
    cpu_hour_micros = NumberAttribute(null=True)
    memory_gib_hour_micros = NumberAttribute(null=True)
    storage_gib_month_micros = NumberAttribute(null=True)
    version = NumberAttribute(default=1)


class QuotaItem(Item, discriminator="quota"):
    """The organization's package and what it holds, moved by ADD in the resources' own transactions."""

    organization_id = UnicodeAttribute()
    package_id = UnicodeAttribute()
    containers = NumberAttribute(default=0)
    cpu_millis = NumberAttribute(default=0)
    memory_bytes = NumberAttribute(default=0)
    storage_bytes = NumberAttribute(default=0)
    vps = NumberAttribute(default=0)
    backups = NumberAttribute(default=0)


# The counter attribute of each limit name (domain.quotas.entities.LIMIT_NAMES).
COUNTERS = {
    "containers": QuotaItem.containers,
    "cpu": QuotaItem.cpu_millis,
    "memory": QuotaItem.memory_bytes,
    "storage": QuotaItem.storage_bytes,
    "vps": QuotaItem.vps,
    "backups": QuotaItem.backups,
}
