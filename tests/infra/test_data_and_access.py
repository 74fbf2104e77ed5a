"""What the stack stores and who may touch it: tables shaped like the models, encrypted and recoverable;
backups private and encrypted; IAM without wildcards on data, and tenant items reachable only through a
session confined to one organization."""

from __future__ import annotations

import inspect
import uuid
from typing import Any

import pytest
from aws_cdk.assertions import Match, Template

from chalicelib.store import keys
from chalicelib.store.table import EphemeralItem, Item
from devstack.bootstrap import table_definition, ttl_attribute
from infra.config import PLATFORM_INDEX_PARTITIONS, PLATFORM_PARTITIONS, TENANT_TAG
from tests.infra.conftest import Synth
from tests.infra.policies import (
    allows_keys,
    as_list,
    dynamodb_item_statements,
    references,
    role_id,
    statements,
)

ORG = str(uuid.uuid4())
OTHER_ORG = str(uuid.uuid4())
DATA_TYPES = (
    "AWS::DynamoDB::Table",
    "AWS::S3::Bucket",
    "AWS::KMS::Key",
    "AWS::SecretsManager::Secret",
    "AWS::SQS::Queue",
)


def _table(synth: Synth, model: type) -> dict[str, Any]:
    name = "ephemeral" if model is EphemeralItem else "main"
    tables = [
        t["Properties"]
        for t in synth.of_type("AWS::DynamoDB::Table").values()
        if t["Properties"]["TableName"] == f"containerstacks-{synth.stage}-{name}"
    ]
    assert len(tables) == 1
    found: dict[str, Any] = tables[0]
    return found


@pytest.mark.parametrize("model", [Item, EphemeralItem], ids=["main", "ephemeral"])
def test_each_table_has_the_keys_index_and_ttl_of_its_model(each: Synth, model: type) -> None:
    table, expected = _table(each, model), table_definition(model)
    assert sorted(table["KeySchema"], key=lambda k: k["KeyType"]) == expected["KeySchema"]
    assert sorted(table["AttributeDefinitions"], key=lambda a: a["AttributeName"]) == sorted(
        expected["AttributeDefinitions"], key=lambda a: a["AttributeName"]
    )
    indexes = [
        {**i, "KeySchema": sorted(i["KeySchema"], key=lambda k: k["KeyType"])}
        for i in table.get("GlobalSecondaryIndexes", [])
    ]
    assert indexes == expected.get("GlobalSecondaryIndexes", [])
    ttl = ttl_attribute(model)
    assert table.get("TimeToLiveSpecification") == ({"AttributeName": ttl, "Enabled": True} if ttl else None)
    assert table["BillingMode"] == "PAY_PER_REQUEST"


def test_tables_are_encrypted_with_the_stacks_key_and_recoverable_to_any_second(each: Synth) -> None:
    key_id, _ = each.one("AWS::KMS::Key")
    Template.from_json(each.template).all_resources_properties(
        "AWS::DynamoDB::Table",
        {
            "SSESpecification": {
                "SSEEnabled": True,
                "SSEType": "KMS",
                "KMSMasterKeyId": {"Fn::GetAtt": [key_id, "Arn"]},
            },
            "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True},
        },
    )


def test_prod_tables_refuse_deletion_and_every_stage_keeps_its_data(dev: Synth, prod: Synth) -> None:
    Template.from_json(prod.template).all_resources_properties(
        "AWS::DynamoDB::Table", {"DeletionProtectionEnabled": True}
    )
    assert all(
        not t["Properties"].get("DeletionProtectionEnabled")
        for t in dev.of_type("AWS::DynamoDB::Table").values()
    )
    for synth in (dev, prod):
        for kind in ("AWS::DynamoDB::Table", "AWS::KMS::Key", "AWS::SecretsManager::Secret"):
            assert {r["DeletionPolicy"] for r in synth.of_type(kind).values()} == {"Retain"}, kind


def test_backups_are_private_versioned_encrypted_tiered_and_tls_only(each: Synth) -> None:
    key_id, _ = each.one("AWS::KMS::Key")
    backups = [(rid, b) for rid, b in each.of_type("AWS::S3::Bucket").items() if rid.startswith("Backups")]
    assert len(backups) == 1
    rid, bucket = backups[0]
    props = bucket["Properties"]
    assert bucket["DeletionPolicy"] == "Retain"
    assert props["VersioningConfiguration"] == {"Status": "Enabled"}
    assert props["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": True,
        "BlockPublicPolicy": True,
        "IgnorePublicAcls": True,
        "RestrictPublicBuckets": True,
    }
    sse = props["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]
    assert sse["ServerSideEncryptionByDefault"] == {
        "SSEAlgorithm": "aws:kms",
        "KMSMasterKeyID": {"Fn::GetAtt": [key_id, "Arn"]},
    }
    rules = props["LifecycleConfiguration"]["Rules"]
    assert rules and rules[0]["Transitions"] and rules[0]["NoncurrentVersionExpiration"]
    Template.from_json(each.template).has_resource_properties(
        "AWS::S3::BucketPolicy",
        {
            "Bucket": {"Ref": rid},
            "PolicyDocument": {
                "Statement": Match.array_with(
                    [
                        Match.object_like(
                            {"Effect": "Deny", "Condition": {"Bool": {"aws:SecureTransport": "false"}}}
                        )
                    ]
                )
            },
        },
    )


def test_no_policy_grants_a_wildcard_action_or_a_scan(each: Synth) -> None:
    data_ids = {rid for rid, r in each.resources.items() if r["Type"] in DATA_TYPES}
    for roles, statement in statements(each):
        actions = as_list(statement["Action"])
        assert not any(a == "*" or a.endswith(":*") for a in actions), (roles, actions)
        assert "dynamodb:Scan" not in actions, roles
        on_data = references(statement.get("Resource")) & data_ids
        if on_data:
            wild = [a for a in actions if "*" in a]
            assert not wild, f"{roles}: {wild} on {on_data}"
        if as_list(statement.get("Resource")) == ["*"]:
            assert all(a.startswith(("xray:", "logs:")) for a in actions), (roles, actions)


def test_the_api_role_reaches_platform_items_and_no_organizations_items(each: Synth) -> None:
    api = role_id(each, "ApiRole")
    dynamo = dynamodb_item_statements(each, api)
    assert dynamo, "the API reads platform items"
    for statement in dynamo:
        assert allows_keys(statement, [keys.user_pk("u")], {}) or allows_keys(statement, ["HOST#h"], {})
        assert not allows_keys(statement, [keys.org_pk(ORG)], {}), statement
        assert not allows_keys(statement, [keys.org_pk(ORG), keys.user_pk("u")], {}), statement


def test_a_tenant_session_reaches_its_organizations_items_only(each: Synth) -> None:
    tenant = role_id(each, "TenantRole")
    tag = {f"aws:PrincipalTag/{TENANT_TAG}": ORG}

    def allowed(*partition_keys: str) -> bool:
        return any(allows_keys(s, list(partition_keys), tag) for s in dynamodb_item_statements(each, tenant))

    # Its own organization, and the platform items a request's transactions mix in
    assert allowed(keys.org_pk(ORG))
    assert allowed(f"{keys.org_pk(ORG)}#ANYTHING")
    assert allowed(keys.org_pk(ORG), keys.HOSTS_PK)
    # Never another organization, nor one whose id merely starts with its own
    assert not allowed(keys.org_pk(OTHER_ORG))
    assert not allowed(keys.org_pk(ORG), keys.org_pk(OTHER_ORG))
    assert not allowed(f"{keys.org_pk(ORG)}0")
    assert not allowed(keys.org_pk(ORG[:8]))


def test_the_tenant_role_trusts_only_the_api_role_and_only_with_an_organization_tag(each: Synth) -> None:
    tenant, api = role_id(each, "TenantRole"), role_id(each, "ApiRole")
    trust = each.resources[tenant]["Properties"]["AssumeRolePolicyDocument"]["Statement"]
    assert len(trust) == 1
    statement = trust[0]
    assert statement["Principal"] == {"AWS": {"Fn::GetAtt": [api, "Arn"]}}
    assert sorted(as_list(statement["Action"])) == ["sts:AssumeRole", "sts:TagSession"]
    assert statement["Condition"]["StringLike"] == {f"aws:RequestTag/{TENANT_TAG}": "?*"}
    assert statement["Condition"]["ForAllValues:StringEquals"] == {"aws:TagKeys": [TENANT_TAG]}


def _partition_builders() -> list[tuple[str, str, bool]]:
    """(name, sample partition key, is an index partition) for every partition key the key modules build."""
    from chalicelib.store.admin import keys as admin_keys
    from chalicelib.store.audit import keys as audit_keys
    from chalicelib.store.billing import keys as billing_keys
    from chalicelib.store.monitoring import keys as monitoring_keys
    from chalicelib.store.notifications import keys as notification_keys
    from chalicelib.store.support import keys as support_keys
    from chalicelib.store.vps import keys as vps_keys

    found: list[tuple[str, str, bool]] = []
    modules = (
        keys,
        billing_keys,
        vps_keys,
        support_keys,
        admin_keys,
        audit_keys,
        notification_keys,
        monitoring_keys,
    )
    for name, value in [item for module in modules for item in vars(module).items()]:
        if name.startswith("_") or not (name.endswith("_pk") or name.endswith("_PK")) or name == "org_pk":
            continue
        sample = value if isinstance(value, str) else value(*["x"] * len(inspect.signature(value).parameters))
        found.append((name, sample, "gsi" in name.lower()))
    return found


@pytest.mark.parametrize(("name", "sample", "index"), _partition_builders(), ids=lambda v: str(v))
def test_every_partition_key_the_store_builds_is_tenant_or_platform(
    name: str, sample: str, index: bool
) -> None:
    patterns = PLATFORM_INDEX_PARTITIONS if index else PLATFORM_PARTITIONS
    statement = {"Condition": {"ForAllValues:StringLike": {"dynamodb:LeadingKeys": list(patterns)}}}
    assert sample.startswith(keys.ORG_PREFIX) or allows_keys(statement, [sample], {}), (
        f"keys.{name} builds {sample!r}: a tenant key must start with ORG#, a platform one must be listed in "
        "infra/config.py PLATFORM_PARTITIONS (the API's grants)"
    )


def test_the_key_is_used_directly_only_for_secrets_with_an_encryption_context(each: Synth) -> None:
    from chalicelib.domain.clusters.entities import token_context
    from chalicelib.domain.hosts.service import tls_context
    from chalicelib.domain.images.service import registry_context
    from chalicelib.domain.vps.accounts import key_context, root_context, webhook_context
    from infra.access import SECRET_CONTEXT_KEYS

    # Given every encryption context the application's secrets are sealed with
    used = {
        k
        for context in (
            tls_context("h"),
            key_context("p"),
            webhook_context("p"),
            root_context("v"),
            registry_context("o", "s"),
            token_context("c"),
        )
        for k in context
    }
    # Then the grants name each of them
    assert used <= set(SECRET_CONTEXT_KEYS)
    key_id, _ = each.one("AWS::KMS::Key")
    for role in ("ApiRole", "WorkerRole"):
        on_key = [
            s
            for roles, s in statements(each)
            if role_id(each, role) in roles and key_id in references(s.get("Resource"))
        ]
        assert on_key, role
        for statement in on_key:
            condition = statement.get("Condition", {})
            through_services = "kms:ViaService" in condition.get("StringEquals", {})
            with_context = condition.get("Null") == {"kms:EncryptionContextKeys": "false"} and sorted(
                as_list(condition["ForAllValues:StringEquals"]["kms:EncryptionContextKeys"])
            ) == sorted(SECRET_CONTEXT_KEYS)
            # And the key is used either through an AWS service, or directly with one of those contexts
            assert through_services or with_context, (role, statement)
        assert any(
            "kms:GenerateDataKey" in as_list(s["Action"]) and "Null" in s.get("Condition", {}) for s in on_key
        )
