"""Key strings of monitoring (the monitoring slice of store/keys.py's grammar).

Ephemeral table (TTL `expires`): a container's samples ORG#<org>#METRIC#<container> / <yyyy-mm-ddThh:mm>; the
organization's latest snapshot ORG#<org>#METRICS / LATEST; the hosts' latest snapshot METRICS / HOSTS
(platform); alert events ORG#<org>#ALERTEVENTS / <ulid>. Main table: alert rules ORG#<org> / ALERTRULE#<ulid>
(also on gsi1 under ALERTRULES, read by the evaluator); scrape tokens ORG#<org> / SCRAPETOKEN#<ulid> and their
lookup by hash SCRAPETOKEN#<sha256> / SCRAPETOKEN (platform: the scrape request names no organization).
"""

from __future__ import annotations

from datetime import datetime

from chalicelib.store.keys import org_pk

LATEST_SK = "LATEST"
HOSTS_PK = "METRICS"
HOSTS_SK = "HOSTS"
RULE_PREFIX = "ALERTRULE#"
RULES_GSI_PK = "ALERTRULES"
TOKEN_PREFIX = "SCRAPETOKEN#"  # noqa: S105 - a key prefix
TOKEN_REF_SK = "SCRAPETOKEN"  # noqa: S105 - a key


def series_pk(org_id: str, container_id: str) -> str:
    return f"{org_pk(org_id)}#METRIC#{container_id}"


def minute_sk(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M")


def snapshot_pk(org_id: str) -> str:
    return f"{org_pk(org_id)}#METRICS"


def events_pk(org_id: str) -> str:
    return f"{org_pk(org_id)}#ALERTEVENTS"


def rule_sk(rule_id: str) -> str:
    return f"{RULE_PREFIX}{rule_id}"


def rule_index_sk(org_id: str, rule_id: str) -> str:
    return f"{org_id}#{rule_id}"


def token_sk(token_id: str) -> str:
    return f"{TOKEN_PREFIX}{token_id}"


def token_ref_pk(secret_hash: str) -> str:
    return f"{TOKEN_PREFIX}{secret_hash}"
