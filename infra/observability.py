"""What operators watch in the console: alarms (to an SNS topic), one dashboard, saved Logs Insights queries.

The README's runbook maps each alarm name to the dashboard row and the saved query to open.
"""

from __future__ import annotations

from dataclasses import dataclass

from aws_cdk import Duration
from aws_cdk import aws_cloudwatch as cw
from aws_cdk import aws_cloudwatch_actions as actions
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from constructs import Construct

from infra.api import Api
from infra.compute import Compute
from infra.config import API_STAGE, BILLING_RUN, METRICS_NAMESPACE, METRICS_SERVICE, StageConfig

FIVE_MINUTES = Duration.minutes(5)
# Business metrics the billing capability emits (Powertools, namespace ContainerStacks, dimension service):
# the dashboard shows them from the day billing lands.
TOP_UPS_METRIC = "WalletTopUps"
REVENUE_METRIC = "RevenueCents"


@dataclass
class Observability:
    topic: sns.Topic
    alarms: dict[str, cw.Alarm]
    dashboard: cw.Dashboard
    queries: dict[str, logs.QueryDefinition]


def _app_metric(name: str, statistic: str = "Sum", period: Duration = FIVE_MINUTES) -> cw.Metric:
    return cw.Metric(
        namespace=METRICS_NAMESPACE,
        metric_name=name,
        dimensions_map={"service": METRICS_SERVICE},
        statistic=statistic,
        period=period,
    )


def build_observability(scope: Construct, config: StageConfig, api: Api, compute: Compute) -> Observability:
    topic = sns.Topic(scope, "Alarms", display_name=f"ContainerStacks {config.stage} alarms")
    if config.alarm_email:
        topic.add_subscription(subscriptions.EmailSubscription(config.alarm_email))
    notify = actions.SnsAction(topic)

    def gateway(metric: str, statistic: str = "Sum") -> cw.Metric:
        return cw.Metric(
            namespace="AWS/ApiGateway",
            metric_name=metric,
            dimensions_map={"ApiName": api.api_name, "Stage": API_STAGE},
            statistic=statistic,
            period=FIVE_MINUTES,
        )

    def api_lambda(metric: str) -> cw.Metric:
        return cw.Metric(
            namespace="AWS/Lambda",
            metric_name=metric,
            dimensions_map={"FunctionName": api.function.ref},
            statistic="Sum",
            period=FIVE_MINUTES,
        )

    alarms: dict[str, cw.Alarm] = {}

    def alarm(cid: str, suffix: str, metric: cw.IMetric, threshold: float, what: str) -> None:
        created = cw.Alarm(
            scope,
            cid,
            alarm_name=config.name(suffix),
            alarm_description=f"{what} (README: Deploy to AWS > Runbook > {suffix})",
            metric=metric,
            threshold=threshold,
            evaluation_periods=1,
            comparison_operator=cw.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            treat_missing_data=cw.TreatMissingData.NOT_BREACHING,
        )
        created.add_alarm_action(notify)
        alarms[suffix] = created

    alarm("Api5xxAlarm", "api-5xx", gateway("5XXError"), 5, "The API answered 5 or more 5xx in 5 minutes")
    alarm("ApiThrottlesAlarm", "api-throttles", api_lambda("Throttles"), 1, "The API function was throttled")
    for key, function in compute.functions.items():
        alarm(
            f"{key}ErrorsAlarm",
            f"{key.lower()}-errors",
            function.metric_errors(period=FIVE_MINUTES),
            1,
            f"{key} failed",
        )
        alarm(
            f"{key}ThrottlesAlarm",
            f"{key.lower()}-throttles",
            function.metric_throttles(period=FIVE_MINUTES),
            1,
            f"{key} was throttled",
        )
    for name, machine in compute.state_machines.items():
        failed = cw.MathExpression(
            expression="failed + timedout",
            using_metrics={
                "failed": machine.metric_failed(period=FIVE_MINUTES),
                "timedout": machine.metric_timed_out(period=FIVE_MINUTES),
            },
            period=FIVE_MINUTES,
        )
        suffix = "billing-run-failed" if name == BILLING_RUN else f"{name}-failed"
        alarm(
            f"{''.join(p.capitalize() for p in name.split('-'))}FailedAlarm",
            suffix,
            failed,
            1,
            f"An execution of {name} failed or timed out",
        )
    alarm(
        "DeadLettersAlarm",
        "dead-letters",
        compute.dead_letters.metric_approximate_number_of_messages_visible(
            period=FIVE_MINUTES, statistic="Maximum"
        ),
        1,
        "A scheduled or asynchronous invocation failed every retry",
    )

    dashboard = cw.Dashboard(scope, "Dashboard", dashboard_name=config.name("operations"))
    dashboard.add_widgets(
        cw.GraphWidget(title="API requests", left=[gateway("Count")], width=8),
        cw.GraphWidget(title="API 4xx / 5xx", left=[gateway("4XXError"), gateway("5XXError")], width=8),
        cw.GraphWidget(
            title="API latency p99 (ms)",
            left=[gateway("Latency", "p99"), gateway("IntegrationLatency", "p99")],
            width=8,
        ),
    )
    dashboard.add_widgets(
        cw.GraphWidget(
            title="Workflow executions",
            left=[m.metric_started(period=FIVE_MINUTES) for m in compute.state_machines.values()]
            + [m.metric_succeeded(period=FIVE_MINUTES) for m in compute.state_machines.values()],
            right=[m.metric_failed(period=FIVE_MINUTES) for m in compute.state_machines.values()],
            width=12,
        ),
        cw.GraphWidget(
            title="Function errors / throttles",
            left=[f.metric_errors(period=FIVE_MINUTES) for f in compute.functions.values()]
            + [api_lambda("Errors")],
            right=[f.metric_throttles(period=FIVE_MINUTES) for f in compute.functions.values()]
            + [api_lambda("Throttles")],
            width=12,
        ),
    )
    billing = compute.state_machines.get(BILLING_RUN)
    billing_widget: cw.IWidget = (
        cw.GraphWidget(
            title="Billing runs",
            left=[billing.metric_succeeded(period=Duration.hours(1))],
            right=[billing.metric_failed(period=Duration.hours(1))],
            width=8,
        )
        if billing is not None
        else cw.TextWidget(markdown=f"**Billing runs**: shown once `{BILLING_RUN}` is registered.", width=8)
    )
    dashboard.add_widgets(
        billing_widget,
        cw.GraphWidget(
            title="Wallet top-ups", left=[_app_metric(TOP_UPS_METRIC, period=Duration.hours(1))], width=8
        ),
        cw.GraphWidget(
            title="Revenue (cents)", left=[_app_metric(REVENUE_METRIC, period=Duration.hours(1))], width=8
        ),
    )
    dashboard.add_widgets(
        cw.AlarmStatusWidget(title="Alarms", alarms=list(alarms.values()), width=16),
        cw.GraphWidget(
            title="Dead letters",
            left=[compute.dead_letters.metric_approximate_number_of_messages_visible(period=FIVE_MINUTES)],
            width=8,
        ),
    )
    return Observability(topic, alarms, dashboard, _queries(scope, config, api, compute))


def _queries(
    scope: Construct, config: StageConfig, api: Api, compute: Compute
) -> dict[str, logs.QueryDefinition]:
    """Saved Logs Insights queries; replace the upper-case placeholder before running."""
    functions = [f.log_group for f in compute.functions.values()]
    machine_logs = list(compute.execution_logs.values())
    shapes = {
        "request": (
            [api.log_group],
            ["@timestamp", "level", "message", "route", "status", "organization_id", "@requestId"],
            ['request_id = "REQUEST_ID" or @requestId = "REQUEST_ID"'],
        ),
        "organization": (
            [api.log_group, *functions],
            ["@timestamp", "level", "message", "route", "status", "container_id", "request_id"],
            ['organization_id = "ORGANIZATION_ID"'],
        ),
        "failed-execution": (
            [*machine_logs, *functions],
            [
                "@timestamp",
                "type",
                "execution_arn",
                "details.error",
                "details.cause",
                "message",
                "container_id",
            ],
            ['type like /Failed|TimedOut|Aborted/ or execution_arn like /EXECUTION_NAME/ or level = "ERROR"'],
        ),
    }
    queries: dict[str, logs.QueryDefinition] = {}
    for key, (groups, fields, filters) in shapes.items():
        queries[key] = logs.QueryDefinition(
            scope,
            f"{''.join(p.capitalize() for p in key.split('-'))}Query",
            query_definition_name=f"containerstacks-{config.stage}/{key}",
            query_string=logs.QueryString(
                fields=fields, filter_statements=filters, sort="@timestamp desc", limit=500
            ),
            log_groups=groups,
        )
    return queries
