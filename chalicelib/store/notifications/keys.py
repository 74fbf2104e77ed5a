"""Key strings of notifications and webhooks (the notifications slice of store/keys.py's grammar).

Ephemeral table (TTL): a member's notifications ORG#<org>#NOTIFY#<user> / N#<ulid> with their read mark
READ; an endpoint's delivery log ORG#<org>#WEBHOOK#<endpoint> / <ulid>; the queue of due deliveries
WEBHOOKQUEUE#<n> / <due time>#<delivery ulid> (platform partitions, sharded). Main table: endpoints
ORG#<org> / WEBHOOK#<uuid>.
"""

from __future__ import annotations

import zlib

from chalicelib.store.keys import org_pk

NOTIFICATION_PREFIX = "N#"
READ_MARK_SK = "READ"
WEBHOOK_PREFIX = "WEBHOOK#"
QUEUE_SHARDS = 8


def notifications_pk(org_id: str, user_id: str) -> str:
    """One member's notifications in one organization."""
    return f"{org_pk(org_id)}#NOTIFY#{user_id}"


def notification_sk(notification_id: str) -> str:
    return f"{NOTIFICATION_PREFIX}{notification_id}"


def webhook_sk(endpoint_id: str) -> str:
    return f"{WEBHOOK_PREFIX}{endpoint_id}"


def delivery_log_pk(org_id: str, endpoint_id: str) -> str:
    """The delivery log of one endpoint (newest last; read newest first)."""
    return f"{org_pk(org_id)}#{WEBHOOK_PREFIX}{endpoint_id}"


def queue_shard(delivery_id: str) -> int:
    return zlib.crc32(delivery_id.encode()) % QUEUE_SHARDS


def webhook_queue_pk(shard: int | str) -> str:
    """A shard of the deliveries waiting for their next attempt, all organizations (the scheduled sender)."""
    return f"WEBHOOKQUEUE#{shard}"


def queue_sk(due: str, delivery_id: str) -> str:
    """`due` is the fixed-width UTC time of the attempt, so a shard reads in due order."""
    return f"{due}#{delivery_id}"
