"""Tenant-scoped sessions (CS_TENANT_ROLE_ARN set, as in AWS): every DynamoDB request of a request acting in
an organization is signed with a session of the tenant role tagged with that organization, assumed once per
organization and reused while warm; platform work (sign-in) is signed with the function's own credentials.

moto's STS issues real-looking sessions but moto does not evaluate IAM policies: that the tenant role's
policy denies other organizations' items is asserted on the synthesized policy (tests/infra).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from botocore.auth import SigV4Auth
from botocore.client import BaseClient

from devstack.aws import LOCAL_CREDENTIAL
from tests.support.api import Api
from tests.support.stack_fixtures import AwsStack

TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": ["sts:AssumeRole", "sts:TagSession"]}
    ],
}


@pytest.fixture
def tenant_role(aws: AwsStack, monkeypatch: pytest.MonkeyPatch) -> str:
    """A tenant role in moto's IAM, and the app configured to use it (before the `api` fixture builds it)."""
    name = f"cs-tenant-{uuid.uuid4().hex[:8]}"
    arn: str = aws.client("iam").create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(TRUST))[
        "Role"
    ]["Arn"]
    monkeypatch.setenv("CS_TENANT_ROLE_ARN", arn)
    return arn


@contextmanager
def signatures() -> Iterator[list[tuple[str, str]]]:
    """(service, access key id) of every request signed on this thread inside the block."""
    signed: list[tuple[str, str]] = []
    original = SigV4Auth.add_auth

    def spy(self: SigV4Auth, request: Any) -> None:
        signed.append((str(getattr(self, "_service_name")), str(self.credentials.access_key)))  # noqa: B009
        original(self, request)

    SigV4Auth.add_auth = spy  # type: ignore[method-assign]
    try:
        yield signed
    finally:
        SigV4Auth.add_auth = original  # type: ignore[method-assign]


@contextmanager
def assume_role_calls() -> Iterator[list[dict[str, Any]]]:
    """The parameters of every STS AssumeRole call made inside the block."""
    calls: list[dict[str, Any]] = []
    original = getattr(BaseClient, "_make_api_call")  # noqa: B009 - private, untyped in the stubs

    def spy(self: BaseClient, operation: str, params: Any) -> Any:
        if operation == "AssumeRole":
            calls.append(dict(params))
        return original(self, operation, params)

    setattr(BaseClient, "_make_api_call", spy)  # noqa: B010
    try:
        yield calls
    finally:
        setattr(BaseClient, "_make_api_call", original)  # noqa: B010


def session_key(org_id: str) -> str:
    from chalicelib.wiring import tenant_credentials

    provider = tenant_credentials()
    assert provider is not None
    return str(provider._sessions[org_id][0].access_key)


def test_an_organizations_requests_are_signed_with_its_own_session(tenant_role: str, api: Api) -> None:
    # Given Ann and Bob, each with their own organization
    ann, bob = api.user("Ann"), api.user("Bob")
    bob.call("GET", "/api/containers")
    # When Ann lists her containers
    with signatures() as signed:
        assert ann.call("GET", "/api/containers").status == 200
    # Then every DynamoDB request was signed with Ann's organization's session: not Bob's, not the function's
    keys = {key for service, key in signed if service == "dynamodb"}
    assert keys == {session_key(ann.org_id)}
    assert session_key(bob.org_id) not in keys and LOCAL_CREDENTIAL not in keys


def test_the_session_is_assumed_once_per_organization_tagged_with_it(tenant_role: str, api: Api) -> None:
    # Given Ann, signed up and logged in
    ann = api.user("Ann")
    # When she makes two requests in her organization after a fresh start of the function
    from chalicelib import wiring

    wiring.reset()
    with assume_role_calls() as first:
        assert ann.call("GET", "/api/containers").status == 200
    with assume_role_calls() as second:
        assert ann.call("GET", "/api/containers").status == 200
    # Then the first assumed the tenant role once, tagged with her organization, and the second reused it
    assert [(c["RoleArn"], c["Tags"]) for c in first] == [
        (tenant_role, [{"Key": "org", "Value": ann.org_id}])
    ]
    assert second == []


def test_signing_in_uses_the_functions_own_credentials(tenant_role: str, api: Api) -> None:
    # Given Ann's account
    ann = api.user("Ann")
    # When she logs in again (platform items: email guard, user, login counters; then the audit entry)
    with signatures() as signed, assume_role_calls() as assumed:
        login = api.call("POST", "/api/auth/login", {"email": ann.email, "password": "a good long password"})
    # Then the sign-in itself used the function's own credentials, and only the audit entry (written to her
    # organization's trail) was signed with her organization's session, never another one
    assert login.status == 200
    dynamodb = [key for service, key in signed if service == "dynamodb"]
    assert dynamodb[:-1] and set(dynamodb[:-1]) == {LOCAL_CREDENTIAL}
    assert dynamodb[-1] == session_key(ann.org_id)
    assert [c["Tags"] for c in assumed] in ([], [[{"Key": "org", "Value": ann.org_id}]])


def test_a_new_organization_is_created_through_its_own_session(tenant_role: str, api: Api) -> None:
    # When Cleo signs up
    with assume_role_calls() as assumed:
        cleo = api.user("Cleo")
    # Then her organization's items were written with a session tagged with it
    assert [c["Tags"] for c in assumed] == [[{"Key": "org", "Value": cleo.org_id}]]


def test_a_retry_safe_create_stores_its_record_through_the_organizations_session(
    tenant_role: str, api: Api, default_host: str
) -> None:
    # Given Ann
    ann = api.user("Ann")
    body = {"name": "web", "image": "cs-test-missing:x", "resources": {"cpu": "0.1", "memory": "16Mi"}}
    # When she creates a container with an Idempotency-Key (its record goes to the ephemeral table)
    with signatures() as signed:
        created = ann.call("POST", "/api/containers", body, headers={"Idempotency-Key": str(uuid.uuid4())})
    # Then the container, its capacity claim and the idempotency record were all written with her session
    assert created.status == 202, created.body
    assert {key for service, key in signed if service == "dynamodb"} == {session_key(ann.org_id)}
