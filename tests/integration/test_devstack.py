"""The local stack's pieces against a real moto server and a real SMTP server."""

from __future__ import annotations

import json
import smtplib
import stat
import time
import uuid
from collections.abc import Callable, Iterator
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
import requests

from chalicelib.settings import get_settings
from devstack import environment
from devstack.bootstrap import KMS_ALIAS, bootstrap, ensure_function, ensure_role, ensure_state_machine
from devstack.periodic import schedule_runners
from devstack.smtp import MailServer
from devstack.snapshot import read_snapshot, restore_data, restore_keys, save_snapshot
from functions import registry
from tests.support.stack_fixtures import AwsStack

PROBE = "DevstackProbe"
TICK = "DevstackTick"
_calls: dict[str, int] = {}
_ticks: list[dict[str, Any]] = []


class EngineUnavailable(Exception):
    """Raised by the probe while it pretends the engine is down."""


class ProbeFailed(Exception):
    """Raised by the probe when asked to fail for good."""


def probe_handler(event: dict[str, Any], context: object) -> dict[str, Any]:
    """Test-only task: unavailable for the first `unavailable` calls per token, then fails or answers."""
    token = event["token"]
    _calls[token] = _calls.get(token, 0) + 1
    if _calls[token] <= event["unavailable"]:
        raise EngineUnavailable("the engine is down")
    if event["fail"]:
        raise ProbeFailed("the input is wrong")
    return {"attempts": _calls[token]}


def tick_handler(event: dict[str, Any], context: object) -> None:
    """Test-only scheduled handler: records its event, then fails (the cadence must go on)."""
    _ticks.append(event)
    raise RuntimeError("scheduled handler failure")


def _register(monkeypatch: pytest.MonkeyPatch, key: str, handler: str) -> str:
    monkeypatch.setitem(registry.FUNCTIONS, key, f"{__name__}:{handler}")
    monkeypatch.setitem(registry.FUNCTION_NAMES, key, f"cs-{key}")
    return f"cs-{key}"


def _wait_for(condition: Callable[[], bool], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.1)


@pytest.fixture
def probe_machine(aws: AwsStack, monkeypatch: pytest.MonkeyPatch) -> str:
    """A state machine whose Task is the probe: Retry on EngineUnavailable, Catch on ProbeFailed."""
    name = _register(monkeypatch, PROBE, "probe_handler")
    role = ensure_role(aws.client("iam"))
    function_arn = ensure_function(aws.client("lambda"), name, registry.FUNCTIONS[PROBE], role)
    definition = {
        "StartAt": "Probe",
        "States": {
            "Probe": {
                "Type": "Task",
                "Resource": function_arn,
                "ResultPath": "$.result",
                "Retry": [{"ErrorEquals": ["EngineUnavailable"], "IntervalSeconds": 1, "MaxAttempts": 2}],
                "Catch": [{"ErrorEquals": ["ProbeFailed"], "ResultPath": "$.error", "Next": "Caught"}],
                "End": True,
            },
            "Caught": {"Type": "Pass", "End": True},
        },
    }
    return ensure_state_machine(aws.client("stepfunctions"), "cs-test-probe", json.dumps(definition), role)


def _run(aws: AwsStack, machine_arn: str, event: dict[str, Any]) -> dict[str, Any]:
    sfn = aws.client("stepfunctions")
    execution = sfn.start_execution(
        stateMachineArn=machine_arn, name=uuid.uuid4().hex, input=json.dumps(event)
    )
    described: dict[str, Any] = {}

    def finished() -> bool:
        described.update(sfn.describe_execution(executionArn=execution["executionArn"]))
        return bool(described["status"] != "RUNNING")

    _wait_for(finished)
    return described


def test_bootstrap_twice_gives_the_same_resources(aws: AwsStack) -> None:
    # Given a bootstrapped moto / When bootstrap runs again
    again = bootstrap(aws.endpoint, get_settings())
    # Then nothing new is created
    assert again == aws.resources
    assert set(again.functions) == set(registry.FUNCTIONS)
    assert set(again.state_machines) == set(registry.STATE_MACHINES)


def test_bootstrap_creates_tables_from_the_models(aws: AwsStack) -> None:
    # Given the bootstrapped tables
    settings = get_settings()
    dynamodb = aws.client("dynamodb")
    # When they are described
    main = dynamodb.describe_table(TableName=settings.table_name)["Table"]
    ttl = dynamodb.describe_time_to_live(TableName=settings.ephemeral_table_name)["TimeToLiveDescription"]
    # Then the main table has the GSI and the ephemeral one expires items on `expires`
    assert [index["IndexName"] for index in main["GlobalSecondaryIndexes"]] == ["gsi1"]
    assert ttl == {"TimeToLiveStatus": "ENABLED", "AttributeName": "expires"}


def test_state_machines_reference_the_lambda_functions(aws: AwsStack) -> None:
    # Given the provisioning state machine / When its definition is read
    sfn = aws.client("stepfunctions")
    arn = aws.resources.state_machines["provision-container"]
    definition = sfn.describe_state_machine(stateMachineArn=arn)["definition"]
    # Then every Task resource is a bootstrapped function ARN
    resources = {
        state["Resource"] for state in json.loads(definition)["States"].values() if "Resource" in state
    }
    assert resources <= set(aws.resources.functions.values())
    assert "${" not in definition


def test_task_runs_the_registered_handler_and_retries_on_its_error_type(
    aws: AwsStack, probe_machine: str
) -> None:
    # Given a probe that is unavailable once / When the machine runs it
    execution = _run(aws, probe_machine, {"token": uuid.uuid4().hex, "unavailable": 1, "fail": False})
    # Then Retry on EngineUnavailable ran the in-process handler a second time
    assert execution["status"] == "SUCCEEDED"
    assert json.loads(execution["output"])["result"] == {"attempts": 2}


def test_catch_sees_the_exception_class_name_as_the_error(aws: AwsStack, probe_machine: str) -> None:
    # Given a probe that fails for good / When the machine runs it
    execution = _run(aws, probe_machine, {"token": uuid.uuid4().hex, "unavailable": 0, "fail": True})
    # Then Catch on ProbeFailed took over, with the handler's message in the cause
    error = json.loads(execution["output"])["error"]
    assert execution["status"] == "SUCCEEDED"
    assert error["Error"] == "ProbeFailed"
    assert json.loads(error["Cause"])["errorMessage"] == "the input is wrong"


def test_invoking_an_unregistered_function_is_an_error(aws: AwsStack) -> None:
    # Given a Lambda function that is not in the registry
    lambda_client = aws.client("lambda")
    ensure_function(lambda_client, "cs-NotRegistered", "nowhere:handler", ensure_role(aws.client("iam")))
    # When it is invoked
    response = lambda_client.invoke(FunctionName="cs-NotRegistered", Payload=b"{}")
    # Then it answers a function error naming the problem
    assert response["FunctionError"] == "Handled"
    assert json.loads(response["Payload"].read())["errorType"] == "FunctionNotRegistered"


def test_snapshot_restores_items_objects_and_keys_after_a_restart(
    aws: AwsStack, clean_tables: None, tmp_path: Path
) -> None:
    # Given items (with binary and nested values), an object and a ciphertext
    settings = get_settings()
    item = {
        "pk": {"S": "ORG#snapshot"},
        "sk": {"S": "TEST#1"},
        "blob": {"B": b"\x00\xff"},
        "nested": {"M": {"n": {"N": "5"}, "l": {"L": [{"BS": [b"a", b"b"]}, {"NULL": True}]}}},
    }
    aws.client("dynamodb").put_item(TableName=settings.table_name, Item=item)
    ephemeral = {"pk": {"S": "REVOKED#x"}, "sk": {"S": "TOKEN"}, "expires": {"N": "4102444800"}}
    aws.client("dynamodb").put_item(TableName=settings.ephemeral_table_name, Item=ephemeral)
    aws.client("s3").put_object(
        Bucket=settings.backup_bucket, Key="b/1.tar", Body=b"\x00data", Metadata={"a": "b"}
    )
    ciphertext = aws.client("kms").encrypt(KeyId=KMS_ALIAS, Plaintext=b"secret")["CiphertextBlob"]
    path = tmp_path / "snapshot.json"
    save_snapshot(path, aws.endpoint, aws.region)

    # When moto restarts empty and the stack restores the snapshot around bootstrap
    requests.post(f"{aws.endpoint}/moto-api/reset", timeout=10).raise_for_status()
    snapshot = read_snapshot(path)
    assert snapshot is not None
    restore_keys(snapshot, aws.region)
    assert bootstrap(aws.endpoint, settings) == aws.resources
    restore_data(snapshot, aws.endpoint, aws.region)
    environment.refresh_app_config()

    # Then everything is back, and the old ciphertext still decrypts
    key = {"pk": item["pk"], "sk": item["sk"]}
    assert aws.client("dynamodb").get_item(TableName=settings.table_name, Key=key)["Item"] == item
    ephemeral_key = {"pk": ephemeral["pk"], "sk": ephemeral["sk"]}
    restored = aws.client("dynamodb").get_item(TableName=settings.ephemeral_table_name, Key=ephemeral_key)
    assert restored["Item"] == ephemeral
    stored = aws.client("s3").get_object(Bucket=settings.backup_bucket, Key="b/1.tar")
    assert (stored["Body"].read(), stored["Metadata"]) == (b"\x00data", {"a": "b"})
    assert aws.client("kms").decrypt(CiphertextBlob=ciphertext)["Plaintext"] == b"secret"
    aws.client("s3").delete_object(Bucket=settings.backup_bucket, Key="b/1.tar")


def test_snapshot_file_is_private(aws: AwsStack, tmp_path: Path) -> None:
    # Given / When a snapshot is written
    path = tmp_path / "snapshot.json"
    save_snapshot(path, aws.endpoint, aws.region)
    # Then only the owner can read it
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


@pytest.fixture
def ticking(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The tick handler registered and running every second."""
    _register(monkeypatch, TICK, "tick_handler")
    _ticks.clear()
    runners = schedule_runners({TICK: 1})
    for runner in runners:
        runner.start()
    yield
    for runner in runners:
        runner.stop()


def test_schedules_keep_calling_handlers_after_failures(ticking: None) -> None:
    # Given a scheduled handler that always raises / When two intervals pass
    _wait_for(lambda: len(_ticks) >= 2, timeout=10)
    # Then it was called again, with an EventBridge-shaped event
    assert _ticks[0]["detail-type"] == "Scheduled Event"


def test_smtp_keeps_messages_readable(smtp: MailServer) -> None:
    # Given a message for two recipients
    message = EmailMessage()
    message["From"] = "noreply@containerstacks.local"
    message["To"] = "user@example.test"
    message["Subject"] = "Welcome"
    message.set_content("Hello from the local stack")
    # When it is sent over SMTP
    with smtplib.SMTP("127.0.0.1", smtp.port, timeout=10) as client:
        client.send_message(message, to_addrs=["user@example.test", "audit@example.test"])
    # Then it can be read back with its envelope recipients
    (received,) = smtp.messages()
    assert received["Subject"] == "Welcome"
    assert received["X-Envelope-To"] == "user@example.test, audit@example.test"
    assert received.get_content().strip() == "Hello from the local stack"


def test_jwt_secret_is_generated_once_and_private(tmp_path: Path) -> None:
    # Given / When the secret is asked for twice
    first = environment.jwt_secret(tmp_path)
    second = environment.jwt_secret(tmp_path)
    # Then it is the same long random value, in an owner-only file
    assert first == second
    assert len(first) >= 64
    assert stat.S_IMODE((tmp_path / environment.SIGNING_KEY_FILE).stat().st_mode) == 0o600


def test_the_admin_bootstrap_never_promotes_an_ordinary_account(api: Any) -> None:
    # Given an ordinary account at the address the operator asks to be the admin
    from devstack.seed import AdminAddressTaken, ensure_admin

    ann = api.user("Ann")
    # When the local stack seeds its admin with that address
    with pytest.raises(AdminAddressTaken, match="never made an admin"):
        ensure_admin(ann.email, "another long password")
    # Then the account is still an ordinary one
    login = api.call("POST", "/api/auth/login", {"email": ann.email, "password": "a good long password"})
    assert login.status == 200 and login.body["user"]["role"] == "user"
