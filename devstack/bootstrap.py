"""Creates (or updates) every AWS resource the app needs in moto; safe to run repeatedly."""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass
from typing import Any

from pynamodb.attributes import TTLAttribute
from pynamodb.models import Model

from chalicelib.settings import Settings
from chalicelib.store.table import ALL_TABLES, bind_tables
from devstack import REPO_ROOT
from devstack.aws import Service, local_client

KMS_ALIAS = "alias/containerstacks"
ROLE_NAME = "cs-local-execution"
STATE_MACHINE_DIR = REPO_ROOT / "statemachines"
_TRUST_POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"Service": ["lambda.amazonaws.com", "states.amazonaws.com"]},
            "Action": "sts:AssumeRole",
        }
    ],
}


@dataclass(frozen=True)
class Bootstrapped:
    """What bootstrap created: function ARNs by registry key, state machine ARNs by registry name, and the
    KMS key id."""

    functions: dict[str, str]
    state_machines: dict[str, str]
    kms_key_id: str


def bootstrap(endpoint: str, settings: Settings) -> Bootstrapped:
    """Ensure tables, bucket, KMS key, Lambda functions and state machines exist in moto."""
    from functions import registry

    def client(service: Service) -> Any:
        return local_client(service, endpoint, settings.region)

    ensure_tables(client("dynamodb"), settings)
    ensure_bucket(client("s3"), settings.backup_bucket, settings.region)
    ensure_bucket(client("s3"), settings.images.bucket, settings.region, browser_uploads=True)  # images
    key_id = ensure_kms_key(client("kms"))
    role_arn = ensure_role(client("iam"))
    lambda_client = client("lambda")
    functions = {
        key: ensure_function(lambda_client, registry.FUNCTION_NAMES[key], handler, role_arn)
        for key, handler in registry.FUNCTIONS.items()
    }
    sfn = client("stepfunctions")
    machines = {
        name: ensure_state_machine(
            sfn, registry.STATE_MACHINE_NAMES[name], render_definition(file, functions), role_arn
        )
        for name, file in registry.STATE_MACHINES.items()
    }
    return Bootstrapped(functions=functions, state_machines=machines, kms_key_id=key_id)


def ensure_tables(dynamodb: Any, settings: Settings) -> None:
    """Create each model's table (keys, GSIs, on-demand billing) and enable its TTL attribute."""
    bind_tables(settings.table_name, settings.ephemeral_table_name, settings.region)
    existing = set(dynamodb.list_tables()["TableNames"])
    for model in ALL_TABLES:
        name = model.Meta.table_name
        if name not in existing:
            dynamodb.create_table(TableName=name, **table_definition(model))
            dynamodb.get_waiter("table_exists").wait(TableName=name)
        ttl = ttl_attribute(model)
        if ttl is not None:
            _enable_ttl(dynamodb, name, ttl)


def table_definition(model: type[Model]) -> dict[str, Any]:
    """CreateTable arguments (without the name) derived from a PynamoDB model."""
    schema: dict[str, Any] = dict(model._get_schema())
    definition: dict[str, Any] = {
        "AttributeDefinitions": schema["attribute_definitions"],
        "KeySchema": sorted(schema["key_schema"], key=lambda k: k["KeyType"]),
        "BillingMode": "PAY_PER_REQUEST",
    }
    indexes = [
        {
            "IndexName": index["index_name"],
            "KeySchema": sorted(index["key_schema"], key=lambda k: k["KeyType"]),
            "Projection": index["projection"],
        }
        for index in schema["global_secondary_indexes"]
    ]
    if indexes:
        definition["GlobalSecondaryIndexes"] = indexes
    return definition


def ttl_attribute(model: type[Model]) -> str | None:
    """The DynamoDB name of the model's TTL attribute, if it has one."""
    return next(
        (attr.attr_name for attr in model.get_attributes().values() if isinstance(attr, TTLAttribute)),
        None,
    )


def _enable_ttl(dynamodb: Any, table: str, attribute: str) -> None:
    current = dynamodb.describe_time_to_live(TableName=table)["TimeToLiveDescription"]
    if current.get("TimeToLiveStatus") == "ENABLED" and current.get("AttributeName") == attribute:
        return
    dynamodb.update_time_to_live(
        TableName=table, TimeToLiveSpecification={"Enabled": True, "AttributeName": attribute}
    )


# Presigned PUTs from the SPA's origin (any local port): the image registry's uploads with progress.
BROWSER_UPLOADS = {
    "CORSRules": [
        {"AllowedMethods": ["PUT"], "AllowedOrigins": ["*"], "AllowedHeaders": ["*"], "MaxAgeSeconds": 3000}
    ]
}


def ensure_bucket(s3: Any, bucket: str, region: str, browser_uploads: bool = False) -> None:
    """Create the bucket unless it exists; `browser_uploads`: the SPA may PUT to presigned URLs (CORS)."""
    if browser_uploads:
        ensure_bucket(s3, bucket, region)
        s3.put_bucket_cors(Bucket=bucket, CORSConfiguration=BROWSER_UPLOADS)
        return
    if any(b["Name"] == bucket for b in s3.list_buckets().get("Buckets", [])):
        return
    location = {} if region == "us-east-1" else {"CreateBucketConfiguration": {"LocationConstraint": region}}
    s3.create_bucket(Bucket=bucket, **location)


def ensure_kms_key(kms: Any) -> str:
    """The id of the key behind KMS_ALIAS, creating key and alias when missing."""
    for alias in kms.list_aliases()["Aliases"]:
        if alias["AliasName"] == KMS_ALIAS and alias.get("TargetKeyId"):
            key_id: str = alias["TargetKeyId"]
            return key_id
    key_id = kms.create_key(Description="ContainerStacks local key")["KeyMetadata"]["KeyId"]
    kms.create_alias(AliasName=KMS_ALIAS, TargetKeyId=key_id)
    return key_id


def ensure_role(iam: Any) -> str:
    """ARN of the role Lambda functions and state machines run as."""
    try:
        role_arn: str = iam.get_role(RoleName=ROLE_NAME)["Role"]["Arn"]
    except iam.exceptions.NoSuchEntityException:
        role_arn = iam.create_role(RoleName=ROLE_NAME, AssumeRolePolicyDocument=json.dumps(_TRUST_POLICY))[
            "Role"
        ]["Arn"]
    return role_arn


def ensure_function(lambda_client: Any, name: str, handler: str, role_arn: str) -> str:
    """ARN of the Lambda function `name` (created with a placeholder zip; never executed by moto)."""
    lambda_handler = handler.replace(":", ".")
    try:
        current = lambda_client.get_function(FunctionName=name)["Configuration"]
    except lambda_client.exceptions.ResourceNotFoundException:
        created = lambda_client.create_function(
            FunctionName=name,
            Runtime="python3.11",
            Role=role_arn,
            Handler=lambda_handler,
            Code={"ZipFile": _placeholder_zip()},
        )
        function_arn: str = created["FunctionArn"]
        return function_arn
    if current["Handler"] != lambda_handler:
        lambda_client.update_function_configuration(FunctionName=name, Handler=lambda_handler)
    function_arn = current["FunctionArn"]
    return function_arn


def render_definition(file: str, function_arns: dict[str, str]) -> str:
    """The ASL text of statemachines/<file> with every ${<Key>Arn} replaced by its function ARN."""
    text = (STATE_MACHINE_DIR / file).read_text()
    for key, arn in function_arns.items():
        text = text.replace("${" + key + "Arn}", arn)
    if "${" in text:
        raise ValueError(f"{file} references a substitution that is not in functions.registry")
    return text


def ensure_state_machine(sfn: Any, name: str, definition: str, role_arn: str) -> str:
    """ARN of the state machine `name`, created or updated to `definition`."""
    paginator = sfn.get_paginator("list_state_machines")
    for page in paginator.paginate():
        for machine in page["stateMachines"]:
            if machine["name"] == name:
                arn: str = machine["stateMachineArn"]
                sfn.update_state_machine(stateMachineArn=arn, definition=definition, roleArn=role_arn)
                return arn
    arn = sfn.create_state_machine(name=name, definition=definition, roleArn=role_arn, type="STANDARD")[
        "stateMachineArn"
    ]
    return arn


def _placeholder_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("README.txt", "Placeholder: the local stack runs functions/ in-process.\n")
    return buffer.getvalue()
