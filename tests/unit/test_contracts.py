"""Static contracts: the OpenAPI document, the state machines, and a cheap `import app`."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from openapi_spec_validator import validate

from functions import registry

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("docker", "kubernetes", "linode_api4", "paypalserversdk", "jwt", "pynamodb", "aws_xray_sdk")
# Errors that mean "not now": Lambda throttling and service failures, and our own transient errors (the
# class name is the error name Step Functions matches). Every Task retries these before any Catch.
TRANSIENT_ERRORS = {
    "Lambda.ServiceException",
    "Lambda.AWSLambdaException",
    "Lambda.SdkClientException",
    "Lambda.TooManyRequestsException",
    "StoreUnavailable",
    "EngineUnavailable",
    "ServiceUnavailable",
}


def test_the_openapi_document_is_valid_and_covers_every_route() -> None:
    from app import app
    from chalicelib.api.openapi import document

    doc = document()
    validate(doc)  # type: ignore[arg-type]
    documented = {(path, method.upper()) for path, ops in doc["paths"].items() for method in ops}
    served = {
        (path, method) for path, entries in app.routes.items() for method in entries if "{proxy+}" not in path
    }
    assert served == documented
    for path, ops in doc["paths"].items():
        for method, op in ops.items():
            assert "500" in op["responses"], (path, method)
            if op["security"]:
                assert "401" in op["responses"], (path, method)
    # Two wire models of one name would be renamed after their modules, breaking the web app's types
    assert [name for name in doc["components"]["schemas"] if "__" in name] == []


def test_the_create_container_schema_is_the_seeds_body() -> None:
    """The seed's fields, and the optional project (teams) beside them."""
    from chalicelib.api.openapi import document

    schema = document()["components"]["schemas"]["ContainerCreateIn"]
    seed = {"name", "image", "resources", "environment", "ports", "volumes"}
    assert set(schema["properties"]) == seed | {
        "project_id",
        "cluster_id",
    }  # optional: teams, a Kubernetes cluster
    assert set(schema["required"]) == {"name", "image", "resources"}
    assert schema["additionalProperties"] is False


@pytest.mark.parametrize("name", sorted(registry.STATE_MACHINES))
def test_state_machines_parse_and_name_only_registered_handlers(name: str) -> None:
    text = (ROOT / "statemachines" / registry.STATE_MACHINES[name]).read_text()
    referenced = set(re.findall(r"\$\{(\w+)Arn\}", text))
    assert referenced and referenced <= set(registry.FUNCTIONS)
    definition = json.loads(text)
    states = definition["States"]
    assert definition["StartAt"] in states
    for state in states.values():
        for target in [state.get("Next")] + [c["Next"] for c in state.get("Catch", [])]:
            assert target is None or target in states
        if state["Type"] == "Task":
            assert state.get("Retry"), "every Task retries transient errors"
            first_catch_all = next(
                (i for i, r in enumerate(state["Retry"]) if "States.ALL" in r["ErrorEquals"]),
                len(state["Retry"]),
            )
            retried = {e for r in state["Retry"][:first_catch_all] for e in r["ErrorEquals"]}
            assert retried >= TRANSIENT_ERRORS, (name, sorted(TRANSIENT_ERRORS - retried))
            assert all(r["MaxAttempts"] >= 2 for r in state["Retry"])


def test_the_transient_error_names_are_the_errors_our_code_raises() -> None:
    from chalicelib.domain.shared import errors

    ours = {e for e in TRANSIENT_ERRORS if not e.startswith("Lambda.")}
    assert all(issubclass(getattr(errors, e), errors.ServiceUnavailable) for e in ours)


def test_every_registered_handler_exists_and_is_callable() -> None:
    for key in registry.FUNCTIONS:
        assert callable(registry.resolve(key)), key


def test_importing_the_app_loads_no_heavy_sdk() -> None:
    code = f"import sys, app; print([m for m in {HEAVY!r} if m in sys.modules])"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
