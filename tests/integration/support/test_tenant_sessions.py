"""In AWS an operator's work on a ticket reaches the ticket's organization only through that organization's
tenant session (IAM then confines it to that partition); the operators' list and the ticket pointers are
platform items, read with the function's own credentials."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from botocore.auth import SigV4Auth

from devstack.aws import LOCAL_CREDENTIAL
from tests.support.api import Api
from tests.support.stack_fixtures import AwsStack

TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": ["sts:AssumeRole", "sts:TagSession"]}
    ],
}
ORG_KEY = re.compile(r'"(ORG#[A-Za-z0-9-]+)')


@pytest.fixture
def tenant_role(aws: AwsStack, monkeypatch: pytest.MonkeyPatch) -> str:
    name = f"cs-tenant-{uuid.uuid4().hex[:8]}"
    role = aws.client("iam").create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(TRUST))
    monkeypatch.setenv("CS_TENANT_ROLE_ARN", role["Role"]["Arn"])
    return str(role["Role"]["Arn"])


@contextmanager
def dynamodb_requests() -> Iterator[list[tuple[str, set[str]]]]:
    """(access key id, organization partitions named in the body) of every DynamoDB request signed."""
    seen: list[tuple[str, set[str]]] = []
    original = SigV4Auth.add_auth

    def spy(self: SigV4Auth, request: Any) -> None:
        if str(getattr(self, "_service_name")) == "dynamodb":  # noqa: B009
            body = request.body.decode() if isinstance(request.body, bytes) else str(request.body or "")
            seen.append((str(self.credentials.access_key), set(ORG_KEY.findall(body))))
        original(self, request)

    SigV4Auth.add_auth = spy  # type: ignore[method-assign]
    try:
        yield seen
    finally:
        SigV4Auth.add_auth = original  # type: ignore[method-assign]


def session_key(org_id: str) -> str:
    from chalicelib.wiring import tenant_credentials

    provider = tenant_credentials()
    assert provider is not None
    return str(provider._sessions[org_id][0].access_key)


def test_operators_reach_a_ticket_only_through_its_organizations_session(tenant_role: str, api: Api) -> None:
    # Given Ann's ticket and an operator
    ann, admin = api.user("Ann"), api.admin()
    ticket = ann.call(
        "POST",
        "/api/support/tickets",
        {"subject": "Help", "message": "Please.", "priority": "low", "category": "general"},
    ).body["ticket_id"]
    # When the operator lists, reads, answers and resolves it
    with dynamodb_requests() as seen:
        assert admin.call("GET", "/api/admin/support/tickets").status == 200
        assert admin.call("GET", f"/api/admin/support/tickets/{ticket}").status == 200
        assert (
            admin.call("POST", f"/api/admin/support/tickets/{ticket}/replies", {"message": "On it."}).status
            == 201
        )
        assert (
            admin.call("PATCH", f"/api/admin/support/tickets/{ticket}", {"status": "resolved"}).status == 200
        )
    # Then every request naming Ann's organization was signed with her organization's session, and the rest
    # (the operators' index, the pointer, the admin's own account) with the function's credentials
    ann_org = f"ORG#{ann.org_id}"
    for key, orgs in seen:
        if orgs:
            assert orgs == {ann_org} and key == session_key(ann.org_id), (key, orgs)
        else:
            assert key in (LOCAL_CREDENTIAL, session_key(ann.org_id)), key
    assert any(orgs for _, orgs in seen) and any(key == LOCAL_CREDENTIAL for key, _ in seen)
