"""Container items of the main table: the record (ORG#<org> / CONTAINER#<id>) and its name guard."""

from __future__ import annotations

from pynamodb.attributes import (
    BooleanAttribute,
    JSONAttribute,
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    UnicodeAttribute,
)

from chalicelib.store.table import Item


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
    version = NumberAttribute(default=1)
    holds_capacity = BooleanAttribute(null=True)  # absent (older items): True
    previous = JSONAttribute(null=True)  # the Deployment a rolling-out change replaces
    project_id = UnicodeAttribute(null=True)  # teams: the project it is counted in
    image_digest = UnicodeAttribute(null=True)  # the image id the replicas were last created from
    cluster_id = UnicodeAttribute(null=True)  # a Kubernetes cluster instead of a host


class ContainerNameItem(Item, discriminator="container_name"):
    """Reserves a container name inside its organization; points at the container."""

    container_id = UnicodeAttribute()
