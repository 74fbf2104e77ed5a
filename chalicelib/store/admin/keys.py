"""Key strings of the admin area: the user and organization directories (gsi1) and the platform counters."""

from __future__ import annotations

from datetime import datetime

USERS_GSI_PK = "USERS"  # gsi1 partition of every user, by email
USERNAMES_GSI_PK = "USERNAMES"  # gsi1 partition of every user's name index item, by name
ORGS_GSI_PK = "ORGS"  # gsi1 partition of every organization, newest first
USER_NAME_SK = "NAME"  # the name index item under USER#<id>
STATS_TOTAL_PK = "STATS#TOTAL"  # platform counters, one item per shard
STATS_PREFIX = "STATS#"


def users_gsi_sk(email: str) -> str:
    return email.strip().lower()


def usernames_gsi_sk(name: str, user_id: str) -> str:
    """Lower-case name then the id: a name prefix is a key prefix, and equal names stay distinct."""
    return f"{' '.join(name.lower().split())}#{user_id}"


def orgs_gsi_sk(created_at: datetime, org_id: str) -> str:
    return f"{created_at.strftime('%Y-%m-%dT%H:%M:%S.%fZ')}#{org_id}"


def stats_month_pk(month: str) -> str:
    """Platform money counters of one month (YYYY-MM), one item per shard."""
    return f"{STATS_PREFIX}{month}"


def stats_shard_sk(shard: int) -> str:
    return f"SHARD#{shard}"


def org_stats_sk(month: str) -> str:
    """An organization's money counters of one month, under ORG#<org>."""
    return f"{STATS_PREFIX}{month}"
