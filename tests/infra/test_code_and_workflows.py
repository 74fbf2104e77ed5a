"""What the stack runs: the API package (small, importable with the layer alone), one function per registry
entry (handler importable from its package and the layer), state machines with every placeholder
substituted, schedules, and every setting chalicelib.settings requires."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from aws_cdk.assertions import Match, Template

from chalicelib.settings import build_settings
from functions import registry
from infra.compute import placeholders
from tests.infra.conftest import Synth

MAX_API_PACKAGE_BYTES = 10 * 1024 * 1024
ROOT = Path(__file__).resolve().parents[2]


def _api_function(synth: Synth) -> dict[str, Any]:
    props: dict[str, Any] = synth.one("AWS::Serverless::Function")[1]["Properties"]
    return props


def _layer_site(synth: Synth) -> Path:
    _, layer = synth.one("AWS::Lambda::LayerVersion")
    return synth.asset(layer["Properties"]["Content"]["S3Key"]) / "python"


def _functions(synth: Synth) -> dict[str, dict[str, Any]]:
    return {
        f["Properties"]["FunctionName"]: f["Properties"]
        for f in synth.of_type("AWS::Lambda::Function").values()
        if f["Properties"].get("FunctionName", "").startswith("cs-")
    }


def _isolated_import(paths: list[Path], code: str) -> subprocess.CompletedProcess[str]:
    """Run `code` in an interpreter that sees the standard library and `paths` only (no site-packages), as a
    Lambda function sees its package and its layer."""
    prelude = f"import sys; sys.path[:0] = {[str(p) for p in paths]!r}; "
    return subprocess.run(
        [sys.executable, "-I", "-S", "-c", prelude + code],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={"AWS_DEFAULT_REGION": "us-east-1", "POWERTOOLS_TRACE_DISABLED": "true"},
    )


def test_the_api_package_is_under_10_mb_without_the_layer(dev: Synth) -> None:
    package = dev.asset(_api_function(dev)["CodeUri"]["Key"])
    with zipfile.ZipFile(package) as archive:
        names = archive.namelist()
        unpacked = sum(i.file_size for i in archive.infolist())
    size = package.stat().st_size
    print(f"API package: {size / 1e6:.2f} MB zipped, {unpacked / 1e6:.2f} MB unpacked, {len(names)} files")
    assert size < MAX_API_PACKAGE_BYTES
    assert "app.py" in names and "chalice/app.py" in names
    assert {"__pycache__/app.cpython-311.pyc", "chalice/__pycache__/app.cpython-311.pyc"} <= set(names)
    assert not [
        n for n in names if n.startswith(("pip/", "setuptools/", "botocore/", "pydantic/", "chalice/cli"))
    ]


def test_the_api_imports_from_its_package_and_the_layer_alone(dev: Synth, tmp_path: Path) -> None:
    with zipfile.ZipFile(dev.asset(_api_function(dev)["CodeUri"]["Key"])) as archive:
        archive.extractall(tmp_path)
    result = _isolated_import(
        [tmp_path, _layer_site(dev)], "import app; assert type(app.app).__name__ == 'Chalice'; print('ok')"
    )
    assert result.returncode == 0 and "ok" in result.stdout, result.stderr
    assert _api_function(dev)["Handler"] == "app.app"


def test_the_vps_slice_encrypts_and_reaches_linode_with_the_layer_alone(dev: Synth) -> None:
    # The envelope encryption (AES-GCM from cryptography's compiled module) and the Linode SDK
    check = (
        "from cryptography.hazmat.primitives.ciphers.aead import AESGCM; "
        "sealed = AESGCM(bytes(32)).encrypt(bytes(12), b'secret', b'{}'); "
        "assert AESGCM(bytes(32)).decrypt(bytes(12), sealed, b'{}') == b'secret'; "
        "import linode_api4; from chalicelib.adapters.linode.compute import LinodeProviders; "
        "from chalicelib.adapters.aws.kms import KmsEnvelopeBox; print('ok')"
    )
    code_keys = {p["Code"]["S3Key"] for p in _functions(dev).values()}
    result = _isolated_import([dev.asset(code_keys.pop()), _layer_site(dev)], check)
    assert result.returncode == 0 and "ok" in result.stdout, result.stderr


def test_one_function_per_registry_entry_with_the_layer_and_its_handler(each: Synth) -> None:
    functions = _functions(each)
    layer_id, _ = each.one("AWS::Lambda::LayerVersion")
    assert set(functions) == {f"{name}-{each.stage}" for name in registry.FUNCTION_NAMES.values()}
    for key, target in registry.FUNCTIONS.items():
        props = functions[f"{registry.FUNCTION_NAMES[key]}-{each.stage}"]
        assert props["Handler"] == target.replace(":", ".")
        assert props["Layers"] == [{"Ref": layer_id}]
        assert props["Runtime"] == _api_function(each)["Runtime"] == "python3.11"
        assert props["TracingConfig"] == {"Mode": "Active"}


def test_every_function_handler_is_importable_from_its_package_and_the_layer(dev: Synth) -> None:
    code_keys = {p["Code"]["S3Key"] for p in _functions(dev).values()}
    assert len(code_keys) == 1
    package = dev.asset(code_keys.pop())
    handlers = sorted({p["Handler"] for p in _functions(dev).values()})
    check = "; ".join(
        f"import importlib; assert callable(getattr(importlib.import_module({h.rsplit('.', 1)[0]!r}), "
        f"{h.rsplit('.', 1)[1]!r}))"
        for h in handlers
    )
    result = _isolated_import([package, _layer_site(dev)], check + "; print('ok')")
    assert result.returncode == 0 and "ok" in result.stdout, result.stderr
    assert not (package / "chalice").exists(), "the functions do not need Chalice"


def test_every_asl_placeholder_is_substituted_with_its_registered_function(each: Synth) -> None:
    machines = each.of_type("AWS::StepFunctions::StateMachine")
    functions = {rid: f["Properties"]["Handler"] for rid, f in each.of_type("AWS::Lambda::Function").items()}
    by_name = {m["Properties"]["StateMachineName"]: m["Properties"] for m in machines.values()}
    assert set(by_name) == {f"{n}-{each.stage}" for n in registry.STATE_MACHINE_NAMES.values()}
    for name, file in registry.STATE_MACHINES.items():
        props = by_name[f"{registry.STATE_MACHINE_NAMES[name]}-{each.stage}"]
        text = (ROOT / "statemachines" / file).read_text()
        used = placeholders(text)
        assert used, f"{file} has no task to substitute"
        substitutions = props["DefinitionSubstitutions"]
        assert set(substitutions) == {f"{key}Arn" for key in used}
        for key in used:
            target = substitutions[f"{key}Arn"]["Fn::GetAtt"]
            assert target[1] == "Arn" and functions[target[0]] == registry.FUNCTIONS[key].replace(":", ".")
        definition = props["DefinitionString"]
        rendered = definition if isinstance(definition, str) else json.dumps(definition)
        assert json.loads(text) == json.loads(rendered)  # the file as is: CloudFormation substitutes
        assert not set(placeholders(rendered)) - used


def test_state_machines_are_standard_traced_and_log_failures(each: Synth) -> None:
    Template.from_json(each.template).all_resources_properties(
        "AWS::StepFunctions::StateMachine",
        {
            "StateMachineType": "STANDARD",
            "TracingConfiguration": {"Enabled": True},
            "LoggingConfiguration": Match.object_like({"Level": "ERROR"}),
        },
    )


def test_every_schedule_runs_its_function_at_its_cadence(each: Synth) -> None:
    rules = list(each.of_type("AWS::Events::Rule").values())
    assert len(rules) == len(registry.SCHEDULES)
    functions = {
        rid: p["Properties"].get("FunctionName") for rid, p in each.of_type("AWS::Lambda::Function").items()
    }
    for key, seconds in registry.SCHEDULES.items():
        expected = _rate(seconds)
        matching = [
            r
            for r in rules
            if r["Properties"]["ScheduleExpression"] == expected
            and functions[r["Properties"]["Targets"][0]["Arn"]["Fn::GetAtt"][0]]
            == f"{registry.FUNCTION_NAMES[key]}-{each.stage}"
        ]
        assert len(matching) == 1, key
        assert "DeadLetterConfig" in matching[0]["Properties"]["Targets"][0]


def _render(value: Any) -> str:
    """A template value as the function would see it, with every reference standing in as "X"."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and "Fn::Join" in value:
        separator, parts = value["Fn::Join"]
        return str(separator).join(_render(p) for p in parts)
    return "X"


def _settings_from(environment: dict[str, Any]) -> Any:
    """build_settings over a deployed environment (AWS_REGION is Lambda's own)."""
    env = {k: _render(v) for k, v in environment.items()}
    return build_settings({**env, "AWS_REGION": "eu-west-1"}), env


def test_the_api_gets_every_setting_it_requires_and_its_tenant_role(each: Synth) -> None:
    settings, _ = _settings_from(_api_function(each)["Environment"]["Variables"])
    assert settings.stage == each.stage and settings.tenant_role_arn is not None
    assert settings.linode_base_url == "https://api.linode.com/v4"
    assert set(settings.state_machines) == set(registry.STATE_MACHINES)


def test_every_function_gets_every_setting_it_requires_and_no_tenant_role(each: Synth) -> None:
    for props in _functions(each).values():
        settings, _ = _settings_from(props["Environment"]["Variables"])
        assert settings.stage == each.stage and settings.tenant_role_arn is None
        assert settings.linode_base_url == "https://api.linode.com/v4"


@pytest.mark.parametrize("kind", ["AWS::Serverless::Function", "AWS::Lambda::Function"])
def test_functions_log_to_groups_with_retention(each: Synth, kind: str) -> None:
    groups = each.of_type("AWS::Logs::LogGroup")
    assert groups and all(g["Properties"].get("RetentionInDays") for g in groups.values())
    assert each.of_type(kind)


def _rate(seconds: int) -> str:
    """EventBridge's rate expression as CDK writes it: the largest unit that divides the interval."""
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds % size == 0:
            count = seconds // size
            return f"rate({count} {unit}{'s' if count > 1 else ''})"
    raise AssertionError(f"a schedule of {seconds} s is not a whole number of minutes")
