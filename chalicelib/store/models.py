"""PynamoDB models. Single table for platform records (discriminated), one TTL table for
short-lived records. Table names are bound from settings by `bind_tables`, never at import."""

from __future__ import annotations

from pynamodb.attributes import (
    BooleanAttribute,
    DiscriminatorAttribute,
    JSONAttribute,
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    TTLAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
)
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model


class HostIndex(GlobalSecondaryIndex["Item"]):
    """GSI1: containers by host (gsi1pk=HOST#<host>, gsi1sk=CONTAINER#<org>#<id>)."""

    class Meta:
        index_name = "gsi1"
        projection = AllProjection()

    gsi1pk = UnicodeAttribute(hash_key=True)
    gsi1sk = UnicodeAttribute(range_key=True)


class Item(Model):
    """Base of every record in the main table."""

    class Meta:
        table_name = "containerstacks"
        billing_mode = "PAY_PER_REQUEST"

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    type = DiscriminatorAttribute()
    gsi1pk = UnicodeAttribute(null=True)
    gsi1sk = UnicodeAttribute(null=True)
    created_at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute()
    by_host = HostIndex()


class UserItem(Item, discriminator="user"):
    id = UnicodeAttribute()
    email = UnicodeAttribute()
    name = UnicodeAttribute()
    password_hash = UnicodeAttribute()
    role = UnicodeAttribute(default="user")
    default_org_id = UnicodeAttribute()


class EmailItem(Item, discriminator="email"):
    """Uniqueness guard for an email address; points at the user."""

    user_id = UnicodeAttribute()


class OrganizationItem(Item, discriminator="organization"):
    id = UnicodeAttribute()
    name = UnicodeAttribute()
    slug = UnicodeAttribute()
    owner_id = UnicodeAttribute()
    settings = JSONAttribute(default=dict)


class WalletItem(Item, discriminator="wallet"):
    id = UnicodeAttribute()
    organization_id = UnicodeAttribute()
    balance_cents = NumberAttribute(default=0)
    currency = UnicodeAttribute(default="USD")


class MemberItem(Item, discriminator="member"):
    """Membership, stored twice: under the organization and under the user."""

    organization_id = UnicodeAttribute()
    user_id = UnicodeAttribute()
    role = UnicodeAttribute()
    organization_name = UnicodeAttribute()


class PortMap(MapAttribute[str, object]):
    container = NumberAttribute()
    host = NumberAttribute(null=True)
    protocol = UnicodeAttribute(default="tcp")


class VolumeMap(MapAttribute[str, object]):
    name = UnicodeAttribute()
    path = UnicodeAttribute()
    read_only = BooleanAttribute(default=False)


class ContainerItem(Item, discriminator="container"):
    id = UnicodeAttribute()
    organization_id = UnicodeAttribute()
    name = UnicodeAttribute()
    image = UnicodeAttribute()
    cpu_millis = NumberAttribute()
    memory_bytes = NumberAttribute()
    storage_bytes = NumberAttribute(null=True)
    environment = JSONAttribute(default=dict)
    ports = ListAttribute(of=PortMap, default=list)
    volumes = ListAttribute(of=VolumeMap, default=list)
    replicas = NumberAttribute(default=1)
    status = UnicodeAttribute()
    status_reason = UnicodeAttribute(null=True)
    exit_code = NumberAttribute(null=True)
    host_id = UnicodeAttribute(null=True)
    engine_ids = ListAttribute(of=UnicodeAttribute, default=list)
    created_by = UnicodeAttribute()
    generation = NumberAttribute(default=1)


class HostItem(Item, discriminator="host"):
    id = UnicodeAttribute()
    name = UnicodeAttribute()
    url = UnicodeAttribute()
    tls = JSONAttribute(null=True)  # {"ca_cert","client_cert","client_key_encrypted"}
    status = UnicodeAttribute(default="active")  # active | draining
    cpu_capacity_millis = NumberAttribute()
    memory_capacity_bytes = NumberAttribute()
    cpu_allocated_millis = NumberAttribute(default=0)
    memory_allocated_bytes = NumberAttribute(default=0)
    is_default = BooleanAttribute(default=False)


class EphemeralItem(Model):
    """Short-lived records with TTL: revoked token ids, login failure counters."""

    class Meta:
        table_name = "containerstacks-ephemeral"
        billing_mode = "PAY_PER_REQUEST"

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    failures = NumberAttribute(default=0)
    window_start = NumberAttribute(default=0)
    expires = TTLAttribute()


MAIN_MODELS: tuple[type[Model], ...] = (Item,)
ALL_TABLES: tuple[type[Model], ...] = (Item, EphemeralItem)


def bind_tables(table_name: str, ephemeral_table_name: str, region: str) -> None:
    """Point the models at the deployment's tables (called once by wiring)."""
    Item.Meta.table_name = table_name
    EphemeralItem.Meta.table_name = ephemeral_table_name
    for model in ALL_TABLES:
        model.Meta.region = region
        model._connection = None  # rebuilt with the new settings on next use
