"""Cluster items of the main table (platform partition CLUSTERS)."""

from __future__ import annotations

from pynamodb.attributes import UnicodeAttribute

from chalicelib.store.table import Item


class ClusterItem(Item, discriminator="cluster"):
    id = UnicodeAttribute()
    name = UnicodeAttribute()
    endpoint = UnicodeAttribute()
    ca_cert = UnicodeAttribute(null=True)  # public material: kept in clear
    token_encrypted = UnicodeAttribute()  # KMS ciphertext, context {purpose, cluster_id}
