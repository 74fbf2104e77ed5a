"""Idempotency records for Powertools' idempotency utility, tenant-partitioned in the ephemeral table.

Powertools' DynamoDB layer keeps every record under one static partition; here each record lives
under its organization's partition instead (pk=ORG#<org>, sk=IDEMPOTENCY#<operation>#<hash>), so
tenant isolation (and IAM's dynamodb:LeadingKeys) covers it like every other tenant item. The
record's `expires` is the table's TTL attribute.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from aws_lambda_powertools.utilities.idempotency.persistence.dynamodb import DynamoDBPersistenceLayer

from chalicelib.store import keys, table
from chalicelib.store.table import EphemeralItem


@lru_cache(maxsize=4)
def _client(region: str, credentials: Any) -> Any:
    """One client per region and credential provider: signs like every other table request (tenant-scoped
    in AWS). Its own client, not PynamoDB's: Powertools adds an event handler to it per store built."""
    import boto3

    session = boto3.session.Session(region_name=region)
    table.use_bound_credentials(session._session)  # boto3 keeps its botocore session there
    return session.client("dynamodb")


def idempotency_prefix(organization_id: str, operation: str) -> str:
    """Powertools' key_prefix: the key it passes back is '<org>#<operation>#<hash>'."""
    return f"{organization_id}#{operation}"


class TenantIdempotencyStore(DynamoDBPersistenceLayer):
    """Powertools persistence layer writing each record under its organization's partition."""

    def __init__(self) -> None:
        region = str(getattr(EphemeralItem.Meta, "region", None) or "us-east-1")
        super().__init__(
            table_name=EphemeralItem.Meta.table_name,
            key_attr="pk",
            sort_key_attr="sk",
            expiry_attr="expires",
            boto3_client=_client(region, table.bound_credentials()),
        )

    def _get_key(self, idempotency_key: str) -> dict[str, Any]:
        organization_id, operation, hashed = idempotency_key.split("#", 2)
        return {
            "pk": {"S": keys.org_pk(organization_id)},
            "sk": {"S": keys.idempotency_sk(operation, hashed)},
        }
