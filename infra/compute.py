"""The dependency layer, the functions of functions/registry.py, their state machines and schedules.

One Lambda function per registry entry (handler "module.attr"), all sharing the layer and one worker role;
one Standard state machine per registry entry, its ${<Key>Arn} placeholders substituted with the functions'
ARNs by CloudFormation (DefinitionSubstitutions); one EventBridge rule per schedule. Failed asynchronous
invocations (the schedules) land in a dead-letter queue that has an alarm.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from aws_cdk import ArnFormat, Duration, RemovalPolicy, Size, Stack
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sqs as sqs
from aws_cdk import aws_stepfunctions as sfn
from constructs import Construct

from functions import registry
from infra import packaging
from infra.config import StageConfig

PLACEHOLDER = re.compile(r"\$\{([A-Za-z0-9]+)Arn\}")
WEBHOOK_DELIVER = "WebhookDeliver"  # invoked asynchronously by the API and the workers (new deliveries)


@dataclass
class Compute:
    layer: lambda_.LayerVersion
    worker_role: iam.Role
    functions: dict[str, lambda_.Function]
    state_machines: dict[str, sfn.StateMachine]
    execution_logs: dict[str, logs.LogGroup]
    dead_letters: sqs.Queue


def state_machine_name(config: StageConfig, name: str) -> str:
    return f"{registry.STATE_MACHINE_NAMES[name]}-{config.stage}"


def function_name(config: StageConfig, key: str) -> str:
    return f"{registry.FUNCTION_NAMES[key]}-{config.stage}"


def state_machine_arns(stack: Stack, config: StageConfig) -> dict[str, str]:
    """Every state machine's ARN by registry name, built from its name: the functions' environment can carry
    it without a dependency on the state machines (which depend on the functions)."""
    return {
        name: stack.format_arn(
            service="states",
            resource="stateMachine",
            resource_name=state_machine_name(config, name),
            arn_format=ArnFormat.COLON_RESOURCE_NAME,
        )
        for name in registry.STATE_MACHINES
    }


def placeholders(definition: str) -> set[str]:
    """The registry keys a definition's ${<Key>Arn} placeholders name."""
    return set(PLACEHOLDER.findall(definition))


def build_compute(
    scope: Construct, config: StageConfig, environment: dict[str, str], worker_role: iam.Role
) -> Compute:
    layer = lambda_.LayerVersion(
        scope,
        "DependencyLayer",
        code=lambda_.Code.from_asset(
            str(packaging.LAYER_ROOT),
            exclude=["README.md", "requirements.txt", "python/.requirements.sha256"],
        ),
        compatible_runtimes=[lambda_.Runtime.PYTHON_3_11],
        compatible_architectures=[lambda_.Architecture.X86_64],
        description="Third-party dependencies (layers/requirements.txt)",
        removal_policy=RemovalPolicy.RETAIN,  # versions in use by a rollback must survive an update
    )
    dead_letters = sqs.Queue(
        scope,
        "DeadLetters",
        encryption=sqs.QueueEncryption.SQS_MANAGED,
        enforce_ssl=True,
        retention_period=Duration.days(14),
    )
    code = lambda_.Code.from_asset(str(packaging.stage_functions()))
    functions: dict[str, lambda_.Function] = {}
    for key, target in registry.FUNCTIONS.items():
        module, _, attr = target.partition(":")
        log_group = logs.LogGroup(
            scope,
            f"{key}Logs",
            log_group_name=f"/aws/lambda/{function_name(config, key)}",
            retention=retention(config),
            removal_policy=RemovalPolicy.DESTROY,
        )
        log_group.grant_write(worker_role)
        functions[key] = lambda_.Function(
            scope,
            f"{key}Function",
            function_name=function_name(config, key),
            runtime=lambda_.Runtime.PYTHON_3_11,
            architecture=lambda_.Architecture.X86_64,
            handler=f"{module}.{attr}",
            code=code,
            layers=[layer],
            role=worker_role,
            memory_size=registry.FUNCTION_SIZES.get(key, (512, 120, 512))[0],
            timeout=Duration.seconds(registry.FUNCTION_SIZES.get(key, (512, 120, 512))[1]),
            ephemeral_storage_size=Size.mebibytes(registry.FUNCTION_SIZES.get(key, (512, 120, 512))[2]),
            environment=environment,
            tracing=lambda_.Tracing.ACTIVE,
            log_group=log_group,
            dead_letter_queue=dead_letters,
            retry_attempts=2,
        )
    machines: dict[str, sfn.StateMachine] = {}
    execution_logs: dict[str, logs.LogGroup] = {}
    for name, file in registry.STATE_MACHINES.items():
        machines[name], execution_logs[name] = _state_machine(scope, config, name, file, functions)
    for key, seconds in registry.SCHEDULES.items():
        if seconds % 60:
            raise ValueError(f"schedule {key}: EventBridge rates are whole minutes, not {seconds} s")
        events.Rule(
            scope,
            f"{key}Schedule",
            description=f"Runs {key} every {seconds} s",
            schedule=events.Schedule.rate(Duration.minutes(seconds // 60)),
            targets=[
                targets.LambdaFunction(functions[key], dead_letter_queue=dead_letters, retry_attempts=2)
            ],
        )
    return Compute(layer, worker_role, functions, machines, execution_logs, dead_letters)


def _state_machine(
    scope: Construct, config: StageConfig, name: str, file: str, functions: dict[str, lambda_.Function]
) -> tuple[sfn.StateMachine, logs.LogGroup]:
    definition = (packaging.ROOT / "statemachines" / file).read_text()
    used = placeholders(definition)
    unknown = used - set(functions)
    if unknown:
        raise ValueError(
            f"statemachines/{file} names functions that are not in the registry: {sorted(unknown)}"
        )
    log_group = logs.LogGroup(
        scope,
        f"{_camel(name)}ExecutionLogs",
        log_group_name=f"/aws/vendedlogs/states/{state_machine_name(config, name)}",
        retention=retention(config),
        removal_policy=RemovalPolicy.DESTROY,
    )
    machine = sfn.StateMachine(
        scope,
        f"{_camel(name)}StateMachine",
        state_machine_name=state_machine_name(config, name),
        state_machine_type=sfn.StateMachineType.STANDARD,
        definition_body=sfn.DefinitionBody.from_string(definition),
        definition_substitutions={f"{key}Arn": functions[key].function_arn for key in sorted(used)},
        tracing_enabled=True,
        logs=sfn.LogOptions(destination=log_group, level=sfn.LogLevel.ERROR, include_execution_data=False),
    )
    for key in sorted(used):
        functions[key].grant_invoke(machine)
    return machine, log_group


def _camel(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("-"))


def retention(config: StageConfig) -> logs.RetentionDays:
    """How long logs are kept: three months in prod, two weeks elsewhere."""
    return logs.RetentionDays.THREE_MONTHS if config.prod else logs.RetentionDays.TWO_WEEKS
