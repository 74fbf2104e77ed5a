"""What operators get: a template cfn-lint accepts, CloudFront in front of the SPA and the API, alarms,
the dashboard, saved Logs Insights queries, and the outputs `make deploy` prints."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from aws_cdk.assertions import Match, Template

from chalicelib.settings import build_settings
from functions import registry
from tests.infra.conftest import Synth

# CDK writes DependsOn beside a GetAtt of the same resource; harmless, and not ours to change.
IGNORED_LINT = "W3005"


def test_the_template_passes_cfn_lint(each: Synth) -> None:
    lint = Path(sys.executable).parent / "cfn-lint"
    result = subprocess.run(
        [str(lint), "--ignore-checks", IGNORED_LINT, "--", str(each.template_file)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_cloudfront_serves_the_spa_and_passes_api_calls_through_uncached(each: Synth) -> None:
    _, distribution = each.one("AWS::CloudFront::Distribution")
    config = distribution["Properties"]["DistributionConfig"]
    api_origin = next(o for o in config["Origins"] if "CustomOriginConfig" in o)
    assert api_origin["OriginPath"] == "/api"
    assert api_origin["CustomOriginConfig"]["OriginProtocolPolicy"] == "https-only"
    (api,) = [b for b in config["CacheBehaviors"] if b["PathPattern"] == "/api/*"]
    assert api["TargetOriginId"] == api_origin["Id"]
    assert set(api["AllowedMethods"]) >= {"GET", "POST", "PUT", "PATCH", "DELETE"}
    assert api["CachePolicyId"] == "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"  # CachingDisabled
    assert "FunctionAssociations" not in api, "API answers (404s too) are never rewritten"
    default = config["DefaultCacheBehavior"]
    assert default["ViewerProtocolPolicy"] == "redirect-to-https"
    assert default["FunctionAssociations"][0]["EventType"] == "viewer-request"
    assert "CustomErrorResponses" not in config


def test_alarms_cover_5xx_throttles_failed_executions_and_dead_letters(each: Synth) -> None:
    names = {a["Properties"]["AlarmName"] for a in each.of_type("AWS::CloudWatch::Alarm").values()}
    prefix = f"containerstacks-{each.stage}-"
    expected = {"api-5xx", "api-throttles", "dead-letters"}
    expected |= {f"{name}-failed" for name in registry.STATE_MACHINES if name != "billing-run"}
    expected |= {"billing-run-failed"} if "billing-run" in registry.STATE_MACHINES else set()
    expected |= {f"{key.lower()}-{what}" for key in registry.FUNCTIONS for what in ("errors", "throttles")}
    assert {n.removeprefix(prefix) for n in names} == expected
    topic, _ = each.one("AWS::SNS::Topic")
    Template.from_json(each.template).all_resources_properties(
        "AWS::CloudWatch::Alarm", {"AlarmActions": [{"Ref": topic}]}
    )


def test_the_dashboard_shows_traffic_errors_latency_workflows_and_money(each: Synth) -> None:
    _, dashboard = each.one("AWS::CloudWatch::Dashboard")
    body = str(dashboard["Properties"]["DashboardBody"])
    for title in (
        "API requests",
        "API 4xx / 5xx",
        "API latency p99",
        "Workflow executions",
        "Billing runs",
        "Wallet top-ups",
        "Revenue (cents)",
        "Alarms",
    ):
        assert title in body, title


def test_saved_queries_find_a_request_an_organization_and_a_failed_execution(each: Synth) -> None:
    queries = {
        q["Properties"]["Name"]: q["Properties"] for q in each.of_type("AWS::Logs::QueryDefinition").values()
    }
    assert set(queries) == {
        f"containerstacks-{each.stage}/{name}" for name in ("request", "organization", "failed-execution")
    }
    assert all(q["LogGroupNames"] for q in queries.values())
    assert "REQUEST_ID" in queries[f"containerstacks-{each.stage}/request"]["QueryString"]
    assert "ORGANIZATION_ID" in queries[f"containerstacks-{each.stage}/organization"]["QueryString"]


def test_outputs_name_the_urls_and_what_the_runbook_needs(each: Synth) -> None:
    outputs = set(each.template["Outputs"])
    assert {
        "WebUrl",
        "ApiUrl",
        "ApiGatewayUrl",
        "WebBucketName",
        "DistributionId",
        "TableName",
        "BackupBucketName",
        "JwtSecretArn",
        "PaypalSecretArn",
        "SmtpSecretArn",
        "AlarmTopicArn",
        "DashboardUrl",
        "AppSettings",
    } <= outputs


def test_the_app_settings_output_is_what_make_admin_needs(each: Synth) -> None:
    value = each.template["Outputs"]["AppSettings"]["Value"]
    rendered = "".join(p if isinstance(p, str) else "X" for p in value["Fn::Join"][1])
    settings = build_settings({**json.loads(rendered), "AWS_REGION": "eu-west-1"})
    assert settings.stage == each.stage and set(settings.state_machines) == set(registry.STATE_MACHINES)


def test_the_api_gateway_stage_is_throttled_and_traced(each: Synth) -> None:
    Template.from_json(each.template).has_resource_properties(
        "AWS::Serverless::Api",
        {
            "Name": f"containerstacks-{each.stage}-api",
            "StageName": "api",
            "TracingEnabled": True,
            "MethodSettings": [Match.object_like({"ThrottlingRateLimit": Match.any_value()})],
        },
    )
