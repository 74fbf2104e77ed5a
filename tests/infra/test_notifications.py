"""Webhook delivery in AWS: a schedule every minute, and the API and workers may hand it new deliveries."""

from __future__ import annotations

import json

from infra.compute import WEBHOOK_DELIVER
from tests.infra.conftest import Synth
from tests.infra.policies import as_list, role_id, role_statements


def test_the_api_and_the_workers_may_invoke_the_delivery_function_and_only_that(each: Synth) -> None:
    name = f"cs-{WEBHOOK_DELIVER}-{each.stage}"
    for prefix in ("ApiRole", "WorkerRole"):
        invoking = [
            s
            for s in role_statements(each, role_id(each, prefix))
            if "lambda:InvokeFunction" in as_list(s["Action"])
        ]
        assert len(invoking) == 1, prefix
        [resource] = as_list(invoking[0]["Resource"])
        assert f":function:{name}" in json.dumps(resource), resource


def test_every_function_knows_the_delivery_functions_name(each: Synth) -> None:
    name = f"cs-{WEBHOOK_DELIVER}-{each.stage}"
    functions = each.of_type("AWS::Lambda::Function")
    named = [
        f["Properties"]["Environment"]["Variables"].get("CS_WEBHOOK_DELIVER_FUNCTION")
        for f in functions.values()
    ]
    assert named and all(n == name for n in named if n is not None)
    assert sum(n == name for n in named) >= len(functions) - 1  # (CDK's own helper functions aside)
