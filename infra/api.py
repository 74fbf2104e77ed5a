"""The Chalice API through chalice.cdk.Chalice.

chalice.cdk runs `chalice package` on a staged copy of the project (infra/packaging.py: first-party code
and an empty requirements.txt, so the package holds app.py, chalicelib/ and Chalice's runtime module; the
dependencies are the layer) and includes the SAM template it writes. The stage's settings, the layer and the
role made here are passed as Chalice stage configuration.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aws_cdk import CfnResource, Fn, RemovalPolicy
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from chalice.cdk import Chalice
from constructs import Construct

from infra import packaging
from infra.compute import retention
from infra.config import API_STAGE, StageConfig

API_FUNCTION = "APIHandler"  # logical ids in the template `chalice package` writes
REST_API = "RestAPI"
RATE_LIMIT = 200  # requests per second across the API (API Gateway stage throttling), burst twice that


@dataclass
class Api:
    chalice: Chalice
    function: CfnResource
    rest_api: CfnResource
    log_group: logs.LogGroup
    api_name: str


def clean_packages() -> None:
    """Forget the packages of earlier synths (called once per app: its stacks' assets point into it)."""
    shutil.rmtree(packaging.BUILD / "chalice.out", ignore_errors=True)


@contextmanager
def _working_dir(path: Path) -> Iterator[None]:
    """chalice.cdk writes its packages under ./chalice.out: keep them in infra/build (cleaned per app)."""
    previous = Path.cwd()
    path.mkdir(parents=True, exist_ok=True)
    # `chalice package` builds a botocore client, which wants a region; the template it writes says
    # ${AWS::Region}, so any region does when synthesizing without one.
    region_unset = not (os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION"))
    if region_unset:
        os.environ["AWS_DEFAULT_REGION"] = "us-east-1"
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(previous)
        if region_unset:
            del os.environ["AWS_DEFAULT_REGION"]


def build_api(
    scope: Construct,
    config: StageConfig,
    environment: dict[str, str],
    role: iam.Role,
    layer: lambda_.LayerVersion,
) -> Api:
    """`scope` is the stage's stack: chalice.cdk takes its construct id ("dev", "prod") as the Chalice stage,
    so .chalice/config.json's stage settings apply, overridden by what is passed here."""
    source = packaging.stage_api()
    stage_config: dict[str, Any] = {
        "api_gateway_stage": API_STAGE,
        "api_gateway_endpoint_type": "REGIONAL",
        "environment_variables": environment,
        "layers": [layer.layer_version_arn],
        "manage_iam_role": False,
        "iam_role_arn": role.role_arn,
        "lambda_memory_size": 1024,  # argon2id (19 MiB) and CPU for JSON; also halves cold starts
        "lambda_timeout": 29,  # API Gateway gives up at 29 s
        "xray": True,
        "tags": {"project": "containerstacks", "stage": config.stage},
    }
    with _working_dir(packaging.BUILD):
        chalice = Chalice(scope, "Api", source_dir=str(source), stage_config=stage_config)
    function = chalice.get_resource(API_FUNCTION)
    rest_api = chalice.get_resource(REST_API)
    api_name = config.name("api")
    rest_api.add_property_override("Name", api_name)
    rest_api.add_property_override("TracingEnabled", True)
    rest_api.add_property_override(
        "MethodSettings",
        [
            {
                "ResourcePath": "/*",
                "HttpMethod": "*",
                "ThrottlingRateLimit": RATE_LIMIT,
                "ThrottlingBurstLimit": RATE_LIMIT * 2,
            }
        ],
    )
    log_group = logs.LogGroup(
        scope,
        "ApiLogs",
        log_group_name=Fn.join("", ["/aws/lambda/", function.ref]),
        retention=retention(config),
        removal_policy=RemovalPolicy.DESTROY,
    )
    log_group.grant_write(role)
    return Api(chalice, function, rest_api, log_group, api_name)
