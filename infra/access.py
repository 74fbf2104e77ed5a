"""IAM: the API's role, the tenant role it assumes per organization, and the workers' role.

Least privilege with teeth (README "Deploy to AWS" > Tenant isolation):
- the API role reaches platform items only (partition keys USER#, EMAIL#, HOSTS, REVOKED#, LOGINFAIL#);
- tenant items (ORG#<org>...) are reachable only through the tenant role, which the API assumes with the
  session tag org=<organization id> and whose policy allows `ORG#${aws:PrincipalTag/org}` and
  `ORG#${aws:PrincipalTag/org}#*` only (plus the same platform items, which a request's transactions mix in);
- the workers (provisioning, reconciliation) act for every organization and get item access to the tables;
- no role gets dynamodb:Scan, and no action on a table, bucket, key or secret has a wildcard;
- no role may update or delete an audit entry (an explicit Deny on the audit partitions beats every Allow).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from aws_cdk import ArnFormat, Stack
from aws_cdk import aws_iam as iam
from constructs import Construct

from infra.compute import WEBHOOK_DELIVER, function_name, state_machine_arns
from infra.config import (
    AUDIT_IMMUTABLE,
    AUDIT_PARTITIONS,
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
SECRET_CONTEXT_KEYS = (
    "purpose",
    "host_id",
    "provider_id",
    "vps_id",
    "secret",
    "organization_id",
    "server",
    "cluster_id",
)
KEY_SERVICES = ("dynamodb", "secretsmanager", "s3")  # s3: backup archives, the image registry's bucket
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


def audit_append_only(data: Data) -> iam.PolicyStatement:
    """Deny changing or removing audit entries. dynamodb:LeadingKeys sees partition keys only, which is why
    audit entries live in partitions of their own (ORG#<org>#AUDIT, AUDIT#<day>). PutItem stays allowed (the
    trail is written with it, on condition that the entry does not exist): IAM cannot require the condition,
    so the code is what keeps a put from overwriting; point-in-time recovery keeps every earlier version."""
    return iam.PolicyStatement(
        sid="AuditAppendOnly",
        effect=iam.Effect.DENY,
        actions=list(AUDIT_IMMUTABLE),
        resources=[data.table.table_arn],
        conditions={"ForAnyValue:StringLike": {"dynamodb:LeadingKeys": list(AUDIT_PARTITIONS)}},
    )


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
    tenant.add_to_policy(audit_append_only(data))
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
    api.add_to_policy(audit_append_only(data))
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
    api.add_to_policy(_smtp_secret(data))
    _tracing(api)

    worker = iam.Role(
        scope,
        "WorkerRole",
        assumed_by=lambda_principal,
        description="Workflow tasks and schedules: every organization's items, the key",
    )
    worker.add_to_policy(items_statement("AllItems", tables, ()))
    worker.add_to_policy(items_statement("IndexQueries", index_arns(data), (), index=True))
    worker.add_to_policy(audit_append_only(data))
    for statement in key_statements(data):
        worker.add_to_policy(statement)
    worker.add_to_policy(_smtp_secret(data))  # the mail function sends through SMTP2GO
    _tracing(worker)
    # New webhook deliveries are handed to the delivery function at once (an asynchronous invocation); its ARN
    # is built from its name, as the function itself depends on the worker role.
    deliver = stack.format_arn(
        service="lambda",
        resource="function",
        resource_name=function_name(config, WEBHOOK_DELIVER),
        arn_format=ArnFormat.COLON_RESOURCE_NAME,
    )
    for role in (api, worker):
        role.add_to_policy(
            iam.PolicyStatement(sid="DeliverWebhooks", actions=["lambda:InvokeFunction"], resources=[deliver])
        )
    if data.images is not None:  # the image registry: presigned uploads (signed by the API), loads and builds
        objects = [data.images.arn_for_objects("images/*")]
        for role, sid in ((api, "ImageUploads"), (worker, "ImageArchives")):
            role.add_to_policy(
                iam.PolicyStatement(
                    sid=sid, actions=["s3:PutObject", "s3:GetObject", "s3:DeleteObject"], resources=objects
                )
            )
    _backup_access(config, data, api, worker)
    return Roles(api, tenant, worker)


def _backup_access(config: StageConfig, data: Data, api: iam.Role, worker: iam.Role) -> None:
    """Backups: the workflow tasks write, read back and delete archives under backups/ (SSE-KMS through S3)
    and the scheduler starts backup workflows; the API deletes an archive with its backup."""
    archives = data.backups.arn_for_objects("backups/*")
    worker.add_to_policy(
        iam.PolicyStatement(
            sid="BackupArchives",
            actions=["s3:PutObject", "s3:GetObject", "s3:DeleteObject"],
            resources=[archives],
        )
    )
    api.add_to_policy(
        iam.PolicyStatement(sid="BackupArchiveDelete", actions=["s3:DeleteObject"], resources=[archives])
    )
    backup_machine = state_machine_arns(Stack.of(worker), config)["backup"]
    worker.add_to_policy(
        iam.PolicyStatement(
            sid="BackupWorkflows", actions=["states:StartExecution"], resources=[backup_machine]
        )
    )


def _smtp_secret(data: Data) -> iam.PolicyStatement:
    """Reading the SMTP credentials (CS_SMTP_SECRET_ARN): the mail function; the API for billing's mail."""
    return iam.PolicyStatement(
        sid="SmtpSecret",
        actions=["secretsmanager:GetSecretValue"],
        resources=[data.vendor_secrets["smtp"].secret_arn],
    )


def _tracing(role: iam.Role) -> None:
    # X-Ray has no resource-level permissions: "*" is the only resource these actions take.
    role.add_to_policy(iam.PolicyStatement(sid="Tracing", actions=list(XRAY), resources=["*"]))
