"""Host items of the main table (platform partition HOSTS)."""

from __future__ import annotations

from pynamodb.attributes import BooleanAttribute, JSONAttribute, NumberAttribute, UnicodeAttribute

from chalicelib.store.table import Item


class HostItem(Item, discriminator="host"):
    id = UnicodeAttribute()
    name = UnicodeAttribute()
    url = UnicodeAttribute()
    tls = JSONAttribute(null=True)  # {"ca_cert","client_cert","client_key_encrypted"}
    status = UnicodeAttribute()
    cpu_capacity_millis = NumberAttribute()
    memory_capacity_bytes = NumberAttribute()
    cpu_allocated_millis = NumberAttribute(default=0)
    memory_allocated_bytes = NumberAttribute(default=0)
    is_default = BooleanAttribute(default=False)


def host_ref(host_id: str) -> HostItem:
    from chalicelib.store import keys

    return HostItem(keys.HOSTS_PK, keys.host_sk(host_id))
