"""The audit trail is append-only in AWS too: every role that can reach the table is denied changing or
removing items of the audit partitions, whatever else it is allowed."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest

from chalicelib.store.audit import keys as audit_keys
from tests.infra.conftest import Synth
from tests.infra.policies import as_list, role_id, role_statements

ORG = str(uuid.uuid4())
ROLES = ("ApiRole", "TenantRole", "WorkerRole")
CHANGES = {"dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem"}


def _denied(statements: list[dict[str, Any]], action: str, partition: str) -> bool:
    for statement in statements:
        if statement.get("Effect") != "Deny" or action not in as_list(statement["Action"]):
            continue
        patterns = as_list(statement["Condition"]["ForAnyValue:StringLike"]["dynamodb:LeadingKeys"])
        regexes = [re.compile("".join(".*" if c == "*" else re.escape(c) for c in p) + "$") for p in patterns]
        if any(r.match(partition) for r in regexes):
            return True
    return False


@pytest.mark.parametrize("role", ROLES)
def test_no_role_may_change_or_remove_an_audit_entry(each: Synth, role: str) -> None:
    statements = role_statements(each, role_id(each, role))
    for partition in (audit_keys.org_audit_pk(ORG), audit_keys.platform_audit_pk("2026-01-01")):
        for action in CHANGES:
            assert _denied(statements, action, partition), (role, action, partition)
    # ... and the deny reaches nothing else: a tenant's other items and platform items stay writable
    for partition in (f"ORG#{ORG}", "USER#u", "STATS#TOTAL"):
        assert not _denied(statements, "dynamodb:UpdateItem", partition), (role, partition)
