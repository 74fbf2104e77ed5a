"""Stateful resources: the KMS key, the DynamoDB tables, the backup bucket and the secrets.

The tables' keys, index and TTL attribute are read from the PynamoDB models (through the same
`table_definition`/`ttl_attribute` the local stack creates its tables with), so infra cannot drift from the
code. Everything here is retained when the stack is deleted unless the stage says `destroy_data`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_secretsmanager as secrets
from constructs import Construct

from chalicelib.store.table import EphemeralItem, Item
from devstack.bootstrap import table_definition, ttl_attribute
from infra.config import StageConfig

# Secrets the operator fills in after the first deploy (README "Deploy to AWS" > Secrets), with the fields
# each one holds. The token signing key is generated. Linode API keys are not here: each provider's key is
# entered on /providers and stored in the table, envelope-encrypted with the key (per provider context).
VENDOR_SECRETS: dict[str, tuple[str, ...]] = {
    "paypal": ("client_id", "client_secret", "webhook_id"),
    "smtp": ("host", "port", "username", "password", "sender"),
}


@dataclass
class Data:
    key: kms.Key
    table: dynamodb.Table
    ephemeral: dynamodb.Table
    backups: s3.Bucket
    jwt_secret: secrets.Secret
    vendor_secrets: dict[str, secrets.Secret]
    images: s3.Bucket | None = None  # image uploads, build contexts and logs (issue 13 §3)


def _attribute(
    definition: dict[str, Any], schema: list[dict[str, str]], kind: str
) -> dynamodb.Attribute | None:
    types = {a["AttributeName"]: a["AttributeType"] for a in definition["AttributeDefinitions"]}
    name = next((k["AttributeName"] for k in schema if k["KeyType"] == kind), None)
    if name is None:
        return None
    kinds = {
        "S": dynamodb.AttributeType.STRING,
        "N": dynamodb.AttributeType.NUMBER,
        "B": dynamodb.AttributeType.BINARY,
    }
    return dynamodb.Attribute(name=name, type=kinds[types[name]])


def model_table(
    scope: Construct, cid: str, model: type, name: str, key: kms.Key, config: StageConfig
) -> dynamodb.Table:
    """A table shaped like `model`: its keys, GSIs (projection ALL) and TTL attribute."""
    definition = table_definition(model)
    table = dynamodb.Table(
        scope,
        cid,
        table_name=name,
        partition_key=_attribute(definition, definition["KeySchema"], "HASH"),
        sort_key=_attribute(definition, definition["KeySchema"], "RANGE"),
        billing_mode=dynamodb.BillingMode.PAY_PER_REQUEST,
        point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
            point_in_time_recovery_enabled=True
        ),
        encryption=dynamodb.TableEncryption.CUSTOMER_MANAGED,
        encryption_key=key,
        deletion_protection=config.prod and not config.destroy_data,
        time_to_live_attribute=ttl_attribute(model),
        removal_policy=RemovalPolicy.DESTROY if config.destroy_data else RemovalPolicy.RETAIN,
    )
    for index in definition.get("GlobalSecondaryIndexes", []):
        if index["Projection"]["ProjectionType"] != "ALL":
            raise ValueError(f"{index['IndexName']}: only ProjectionType ALL is mapped")
        table.add_global_secondary_index(
            index_name=index["IndexName"],
            partition_key=_attribute(definition, index["KeySchema"], "HASH"),
            sort_key=_attribute(definition, index["KeySchema"], "RANGE"),
            projection_type=dynamodb.ProjectionType.ALL,
        )
    return table


def build_data(scope: Construct, config: StageConfig) -> Data:
    removal = RemovalPolicy.DESTROY if config.destroy_data else RemovalPolicy.RETAIN
    key = kms.Key(
        scope,
        "Key",
        alias=f"alias/{config.name('key')}",
        description=f"ContainerStacks {config.stage}: tables, backups, secrets, host TLS keys",
        enable_key_rotation=True,
        removal_policy=removal,
        pending_window=Duration.days(30),
    )
    table = model_table(scope, "Table", Item, config.name("main"), key, config)
    ephemeral = model_table(scope, "EphemeralTable", EphemeralItem, config.name("ephemeral"), key, config)
    backups = s3.Bucket(
        scope,
        "Backups",
        encryption=s3.BucketEncryption.KMS,
        encryption_key=key,
        bucket_key_enabled=True,
        versioned=True,
        block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
        enforce_ssl=True,
        object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
        lifecycle_rules=[
            s3.LifecycleRule(
                id="tiering",
                transitions=[
                    s3.Transition(
                        storage_class=s3.StorageClass.INFREQUENT_ACCESS, transition_after=Duration.days(30)
                    ),
                    s3.Transition(
                        storage_class=s3.StorageClass.GLACIER_INSTANT_RETRIEVAL,
                        transition_after=Duration.days(90),
                    ),
                ],
                noncurrent_version_expiration=Duration.days(30),
                abort_incomplete_multipart_upload_after=Duration.days(7),
            )
        ],
        removal_policy=removal,
        auto_delete_objects=config.destroy_data,
    )
    jwt_secret = secrets.Secret(
        scope,
        "JwtSigningKey",
        secret_name=config.name("jwt-signing-key"),
        description="Token signing key (HS256, 64 characters); a new value ends every session",
        generate_secret_string=secrets.SecretStringGenerator(password_length=64, exclude_punctuation=True),
        encryption_key=key,
        removal_policy=removal,
    )
    vendor = {
        name: secrets.Secret(
            scope,
            f"{name.capitalize()}Secret",
            secret_name=config.name(name),
            description=f"{name}: JSON with {', '.join(fields)} (README: Deploy to AWS > Secrets)",
            secret_object_value={},
            encryption_key=key,
            removal_policy=removal,
        )
        for name, fields in VENDOR_SECRETS.items()
    }
    return Data(key, table, ephemeral, backups, jwt_secret, vendor, images=image_bucket(scope, config, key))


def image_bucket(scope: Construct, config: StageConfig, key: kms.Key) -> s3.Bucket:
    """Uploads of the image registry: browsers PUT to presigned URLs (CORS), nothing is public, unfinished
    uploads go after a day; the API's and workers' roles get grants in access.py."""
    return s3.Bucket(
        scope,
        "Images",
        encryption=s3.BucketEncryption.KMS,
        encryption_key=key,
        bucket_key_enabled=True,
        block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
        enforce_ssl=True,
        object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
        cors=[
            s3.CorsRule(allowed_methods=[s3.HttpMethods.PUT], allowed_origins=["*"], allowed_headers=["*"])
        ],
        lifecycle_rules=[
            s3.LifecycleRule(id="unfinished", abort_incomplete_multipart_upload_after=Duration.days(1))
        ],
        removal_policy=RemovalPolicy.RETAIN if not config.destroy_data else RemovalPolicy.DESTROY,
        auto_delete_objects=config.destroy_data,
    )
