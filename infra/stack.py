"""The whole platform for one stage as one stack: data, roles, functions, workflows, API, web, monitoring."""

from __future__ import annotations

import os
from typing import Any

import aws_cdk as cdk
from constructs import Construct

from devstack.environment import chalice_stage_environment
from infra.access import build_roles
from infra.api import build_api, clean_packages
from infra.compute import WEBHOOK_DELIVER, build_compute, function_name, state_machine_arns
from infra.config import LINODE_API_URL, StageConfig
from infra.data import build_data
from infra.observability import build_observability
from infra.web import build_web


class ContainerStacksStack(cdk.Stack):
    """Construct id: the stage (chalice.cdk takes it as the Chalice stage); name: ContainerStacks-<stage>."""

    def __init__(self, scope: Construct, config: StageConfig, **kwargs: Any) -> None:
        super().__init__(
            scope,
            config.stage,
            stack_name=config.stack_name,
            description=f"ContainerStacks control plane ({config.stage})",
            **kwargs,
        )
        cdk.Tags.of(self).add("project", "containerstacks")
        cdk.Tags.of(self).add("stage", config.stage)
        data = build_data(self, config)
        machines = state_machine_arns(self, config)
        roles = build_roles(self, config, data, list(machines.values()))
        # What chalicelib.settings reads: .chalice/config.json's stage variables plus every resource name.
        settings = {
            **chalice_stage_environment(config.stage),
            "CS_STAGE": config.stage,
            "CS_TABLE": data.table.table_name,
            "CS_EPHEMERAL_TABLE": data.ephemeral.table_name,
            "CS_BACKUP_BUCKET": data.backups.bucket_name,
            "CS_IMAGE_BUCKET": data.images.bucket_name if data.images else "",
            "CS_KMS_KEY_ID": data.key.key_arn,
            "CS_JWT_SECRET_ARN": data.jwt_secret.secret_arn,
            "CS_SMTP_SECRET_ARN": data.vendor_secrets["smtp"].secret_arn,
            "CS_STATE_MACHINES": self.to_json_string(machines),
            # new webhook deliveries are attempted at once by an asynchronous invocation of this function
            "CS_WEBHOOK_DELIVER_FUNCTION": function_name(config, WEBHOOK_DELIVER),
            "CS_LINODE_BASE_URL": LINODE_API_URL,
        }
        compute = build_compute(self, config, settings, roles.worker)
        api = build_api(
            self, config, {**settings, "CS_TENANT_ROLE_ARN": roles.tenant.role_arn}, roles.api, compute.layer
        )
        web = build_web(self, config, api.rest_api.ref)
        monitoring = build_observability(self, config, api, compute)

        def output(name: str, value: str, description: str) -> None:
            cdk.CfnOutput(self, name, value=value, description=description)

        output("WebUrl", f"https://{web.distribution.distribution_domain_name}/", "The web app (CloudFront)")
        output(
            "ApiUrl",
            f"https://{web.distribution.distribution_domain_name}/api/",
            "The API (through CloudFront)",
        )
        output(
            "ApiGatewayUrl",
            f"https://{api.rest_api.ref}.execute-api.{self.region}.{self.url_suffix}/api/",
            "The API Gateway endpoint (behind CloudFront)",
        )
        output("WebBucketName", web.bucket.bucket_name, "Upload web/dist here (make deploy does)")
        output(
            "DistributionId", web.distribution.distribution_id, "Invalidate /* after uploading the web app"
        )
        output("TableName", data.table.table_name, "Main DynamoDB table")
        output("EphemeralTableName", data.ephemeral.table_name, "TTL table")
        output("BackupBucketName", data.backups.bucket_name, "Backups (KMS, versioned)")
        output("KeyArn", data.key.key_arn, "KMS key of the tables, backups, secrets and host TLS keys")
        output("JwtSecretArn", data.jwt_secret.secret_arn, "Token signing key (generated)")
        for name, secret in data.vendor_secrets.items():
            output(
                f"{name.capitalize()}SecretArn",
                secret.secret_arn,
                f"{name} credentials: fill in after deploy",
            )
        output(
            "AppSettings",
            self.to_json_string({k: v for k, v in settings.items() if k.startswith("CS_")}),
            "What the functions read (make admin uses it)",
        )
        output("TenantRoleArn", roles.tenant.role_arn, "Assumed by the API once per organization")
        output("AlarmTopicArn", monitoring.topic.topic_arn, "Alarms are published here (subscribe on-call)")
        output(
            "DashboardUrl",
            f"https://console.aws.amazon.com/cloudwatch/home?region={self.region}"
            f"#dashboards:name={monitoring.dashboard.dashboard_name}",
            "The operations dashboard",
        )
        for name, machine in compute.state_machines.items():
            output(
                f"{''.join(p.capitalize() for p in name.split('-'))}StateMachineArn",
                machine.state_machine_arn,
                f"State machine {name}: executions are named <resource id>-g<generation>",
            )


def build_app(
    stages: tuple[str, ...] | None = None, outdir: str | None = None, context: dict[str, Any] | None = None
) -> cdk.App:
    """The CDK app with one stack per stage (default: the context's `stage`, else dev)."""
    app = cdk.App(outdir=outdir, context=context) if outdir else cdk.App(context=context)
    chosen = stages or (str(app.node.try_get_context("stage") or "dev"),)
    # Environment-agnostic unless the CDK CLI says where (CDK_DEFAULT_ACCOUNT / CDK_DEFAULT_REGION).
    env = None
    if os.environ.get("CDK_DEFAULT_ACCOUNT") and os.environ.get("CDK_DEFAULT_REGION"):
        env = cdk.Environment(
            account=os.environ["CDK_DEFAULT_ACCOUNT"], region=os.environ["CDK_DEFAULT_REGION"]
        )
    clean_packages()
    for stage in chosen:
        ContainerStacksStack(app, StageConfig.from_context(stage, app.node.try_get_context), env=env)
    return app
