"""IAM: the API's role, the tenant role it assumes per organization, and the workers' role.

Least privilege with teeth (README "Deploy to AWS" > Tenant isolation):
- the API role reaches platform items only (partition keys USER#, EMAIL#, HOSTS, REVOKED#, LOGINFAIL#);
- tenant items (ORG#<org>...) are reachable only through the tenant role, which the API assumes with the
  session tag org=<organization id> and whose policy allows `ORG#${aws:PrincipalTag/org}` and
  `ORG#${aws:PrincipalTag/org}#*` only (plus the same platform items, which a request's transactions mix in);
- the workers (provisioning, reconciliation) act for every organization and get item access to the tables;
- no role gets dynamodb:Scan, and no action on a table, bucket, key or secret has a wildcard.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from aws_cdk import Stack
from aws_cdk import aws_iam as iam
from constructs import Construct

from infra.config import (
    DYNAMODB_READ,
    DYNAMODB_WRITE,
    PLATFORM_INDEX_PARTITIONS,
    PLATFORM_PARTITIONS,
    TENANT_PARTITIONS,
    TENANT_TAG,
    StageConfig,
)
from infra.data import Data

KMS_USE = ("kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey")
# The application's own secrets (host TLS keys, provider API keys and webhook secrets, VPS root passwords) are
# encrypted with an encryption context naming what they belong to (KmsSecretBox, KmsEnvelopeBox): direct use
# of the key needs one, of these keys only. AWS services (the tables, the secrets) use it on our behalf.
SECRET_CONTEXT_KEYS = ("purpose", "host_id", "provider_id", "vps_id", "secret")
KEY_SERVICES = ("dynamodb", "secretsmanager")
XRAY = ("xray:PutTraceSegments", "xray:PutTelemetryRecords")


@dataclass
class Roles:
    api: iam.Role
    tenant: iam.Role
    worker: iam.Role


def index_arns(data: Data) -> list[str]:
    return [f"{data.table.table_arn}/index/*"]


def items_statement(
    sid: str, resources: Sequence[str], partitions: Sequence[str], *, index: bool = False
) -> iam.PolicyStatement:
    """Item access to `resources` whose partition key matches one of `partitions` (no pattern: any key)."""
    actions = ["dynamodb:Query"] if index else [*DYNAMODB_READ, *DYNAMODB_WRITE]
    conditions = (
        {"ForAllValues:StringLike": {"dynamodb:LeadingKeys": list(partitions)}} if partitions else None
    )
    return iam.PolicyStatement(sid=sid, actions=actions, resources=list(resources), conditions=conditions)


def platform_statements(data: Data) -> list[iam.PolicyStatement]:
    tables = [data.table.table_arn, data.ephemeral.table_arn]
    return [
        items_statement("PlatformItems", tables, PLATFORM_PARTITIONS),
        items_statement("PlatformIndexPartitions", index_arns(data), PLATFORM_INDEX_PARTITIONS, index=True),
    ]


def key_statements(data: Data) -> list[iam.PolicyStatement]:
    """The key through the AWS services that encrypt with it, and directly for secrets with a context (the
    envelope encryption's GenerateDataKey and Decrypt, the small secrets' Encrypt and Decrypt)."""
    region = Stack.of(data.key).region
    return [
        iam.PolicyStatement(
            sid="KeyThroughServices",
            actions=list(KMS_USE),
            resources=[data.key.key_arn],
            conditions={
                "StringEquals": {"kms:ViaService": [f"{s}.{region}.amazonaws.com" for s in KEY_SERVICES]}
            },
        ),
        iam.PolicyStatement(
            sid="KeyForSecretsWithContext",
            actions=list(KMS_USE),
            resources=[data.key.key_arn],
            conditions={
                "Null": {"kms:EncryptionContextKeys": "false"},
                "ForAllValues:StringEquals": {"kms:EncryptionContextKeys": list(SECRET_CONTEXT_KEYS)},
            },
        ),
    ]


def build_roles(scope: Construct, config: StageConfig, data: Data, machine_arns: Sequence[str]) -> Roles:
    stack = Stack.of(scope)
    lambda_principal = iam.ServicePrincipal("lambda.amazonaws.com")
    api = iam.Role(
        scope,
        "ApiRole",
        assumed_by=lambda_principal,
        description="The API function: platform items, its tenant sessions, workflows, the token key",
    )
    tenant = iam.Role(
        scope,
        "TenantRole",
        assumed_by=iam.ArnPrincipal(api.role_arn)
        .with_session_tags()
        .with_conditions(
            {
                "StringLike": {f"aws:RequestTag/{TENANT_TAG}": "?*"},
                "ForAllValues:StringEquals": {"aws:TagKeys": [TENANT_TAG]},
            }
        ),
        description="One organization's items; assumed by the API with the session tag org=<organization id>",
    )
    tables = [data.table.table_arn, data.ephemeral.table_arn]
    # One statement for the organization's and the platform's partitions: a batch request is authorized on
    # all of its keys at once, so a batch mixing the two must find both in the same condition.
    tenant.add_to_policy(items_statement("TenantItems", tables, (*TENANT_PARTITIONS, *PLATFORM_PARTITIONS)))
    tenant.add_to_policy(
        items_statement("PlatformIndexPartitions", index_arns(data), PLATFORM_INDEX_PARTITIONS, index=True)
    )
    tenant.add_to_policy(
        iam.PolicyStatement(
            sid="TableKey",
            actions=list(KMS_USE),
            resources=[data.key.key_arn],
            conditions={"StringEquals": {"kms:ViaService": f"dynamodb.{stack.region}.amazonaws.com"}},
        )
    )

    for statement in platform_statements(data):
        api.add_to_policy(statement)
    api.add_to_policy(
        iam.PolicyStatement(
            sid="TenantSessions", actions=["sts:AssumeRole", "sts:TagSession"], resources=[tenant.role_arn]
        )
    )
    api.add_to_policy(
        iam.PolicyStatement(sid="Workflows", actions=["states:StartExecution"], resources=list(machine_arns))
    )
    for statement in key_statements(data):
        api.add_to_policy(statement)
    api.add_to_policy(
        iam.PolicyStatement(
            sid="TokenKey", actions=["secretsmanager:GetSecretValue"], resources=[data.jwt_secret.secret_arn]
        )
    )
    _tracing(api)

    worker = iam.Role(
        scope,
        "WorkerRole",
        assumed_by=lambda_principal,
        description="Workflow tasks and schedules: every organization's items, the key",
    )
    worker.add_to_policy(items_statement("AllItems", tables, ()))
    worker.add_to_policy(items_statement("IndexQueries", index_arns(data), (), index=True))
    for statement in key_statements(data):
        worker.add_to_policy(statement)
    _tracing(worker)
    return Roles(api, tenant, worker)


def _tracing(role: iam.Role) -> None:
    # X-Ray has no resource-level permissions: "*" is the only resource these actions take.
    role.add_to_policy(iam.PolicyStatement(sid="Tracing", actions=list(XRAY), resources=["*"]))
