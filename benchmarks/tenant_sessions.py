"""Per-request cost of tenant-scoped DynamoDB sessions (CS_TENANT_ROLE_ARN), against moto's STS and DynamoDB.

Reads one organization item through the store (AccountRepository.get_organization, one GetItem) for N
organizations, three ways, and prints the median latency of each:
  plain   the function's own credentials (CS_TENANT_ROLE_ARN unset, as locally);
  first   the organization's first request in a warm function: one STS AssumeRole, then the GetItem;
  warm    later requests: the cached session (a dictionary lookup), then the GetItem.
It also prints the cost of picking the credentials alone (no I/O). moto answers on 127.0.0.1, so the
absolute figures are local ones: in AWS an in-region AssumeRole takes tens of milliseconds, paid once per
organization per function instance (sessions last an hour and are renewed 5 minutes before they end).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from chalicelib.settings import get_settings
from devstack import environment
from devstack.aws import local_client
from devstack.bootstrap import ensure_tables
from devstack.moto_server import MotoServer

TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": ["sts:AssumeRole", "sts:TagSession"]}
    ],
}


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def timed(call: Callable[[], object]) -> float:
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--orgs", type=int, default=100)
    args = parser.parse_args()
    server = MotoServer()
    server.start()
    try:
        environment.apply({**environment.aws_environment(server.port), "CS_STAGE": "test"})
        get_settings.cache_clear()
        settings = get_settings()
        ensure_tables(local_client("dynamodb", server.endpoint, settings.region), settings)
        role = local_client("iam", server.endpoint, settings.region).create_role(
            RoleName="cs-tenant-bench", AssumeRolePolicyDocument=json.dumps(TRUST)
        )["Role"]["Arn"]
        run(args.orgs, role, settings.table_name, settings.ephemeral_table_name, settings.region)
    finally:
        server.stop()


def run(count: int, role_arn: str, table: str, ephemeral: str, region: str) -> None:
    from chalicelib.adapters.aws.tenancy import TenantCredentialProvider
    from chalicelib.domain.shared.tenancy import tenant_scope
    from chalicelib.store import keys
    from chalicelib.store.accounts.models import OrganizationItem
    from chalicelib.store.accounts.repository import AccountRepository
    from chalicelib.store.table import bind_tables

    bind_tables(table, ephemeral, region)
    now = datetime.now(UTC)
    orgs = [str(uuid.uuid4()) for _ in range(count)]
    for org in orgs:
        OrganizationItem(
            keys.org_pk(org),
            keys.ORG_SK,
            id=org,
            name="o",
            slug=org[:8],
            owner_id="u",
            settings={},
            created_at=now,
            updated_at=now,
        ).save()
    repo = AccountRepository()

    def read(org: str) -> None:
        OrganizationItem.get(keys.org_pk(org), keys.ORG_SK)

    for org in orgs[:20]:  # warm the plain connection
        read(org)
    unset = [timed(partial(repo.get_organization, org)) for org in orgs]

    provider = TenantCredentialProvider(role_arn, region)
    bind_tables(table, ephemeral, region, provider)
    first = [timed(partial(repo.get_organization, org)) for org in orgs]
    assert provider.assumed == count, provider.assumed
    # Interleaved, so that the machine's noise hits both alike: a warm scoped read, then an unscoped one.
    warm: list[float] = []
    own: list[float] = []
    for _ in range(3):
        for org in orgs:
            warm.append(timed(partial(repo.get_organization, org)))
            own.append(timed(partial(read, org)))
    assert provider.assumed == count, provider.assumed

    def pick(org: str) -> None:
        with tenant_scope(org):
            provider.frozen()

    picking = [timed(partial(pick, org)) for org in orgs for _ in range(10)]
    print(f"organizations:                 {count}")
    print(f"role unset (median):           {median_ms(unset):6.2f} ms   (plain connection, as locally)")
    print(f"first request of an org:       {median_ms(first):6.2f} ms   (AssumeRole + GetItem; once per org)")
    print(f"warm, tenant session (median): {median_ms(warm):6.2f} ms   (cached session + GetItem)")
    print(f"warm, own credentials:         {median_ms(own):6.2f} ms   (same client, outside a scope)")
    print(f"warm overhead:                 {median_ms(warm) - median_ms(own):+6.2f} ms")
    print(f"first-request overhead:        {median_ms(first) - median_ms(own):+6.2f} ms")
    print(
        f"credential pick (median):      {statistics.median(picking) * 1e6:6.1f} us   (scope + cache lookup)"
    )


if __name__ == "__main__":
    main()
