"""The CDK app, synthesized once per test session (dev and prod), read as CloudFormation templates.

Needs infra/.venv (make infra-deps: the CDK libraries, cfn-lint, Node) and the built layer (make layer);
`make test-infra` runs these with it. In the project's main venv (no aws_cdk) the directory is not collected.
"""

from __future__ import annotations

import importlib.util
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

if importlib.util.find_spec("aws_cdk") is None:
    collect_ignore_glob = ["test_*.py", "policies.py"]

os.environ.setdefault("JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION", "1")
os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "18,20")

STAGES = ("dev", "prod")


@dataclass(frozen=True)
class Synth:
    """One synthesized stage: its template (plain JSON) and where the assembly lies."""

    stage: str
    template: dict[str, Any]
    outdir: Path
    template_file: Path

    @property
    def resources(self) -> dict[str, dict[str, Any]]:
        resources: dict[str, dict[str, Any]] = self.template["Resources"]
        return resources

    def of_type(self, kind: str) -> dict[str, dict[str, Any]]:
        return {rid: r for rid, r in self.resources.items() if r["Type"] == kind}

    def one(self, kind: str) -> tuple[str, dict[str, Any]]:
        found = self.of_type(kind)
        assert len(found) == 1, f"{len(found)} {kind}"
        return next(iter(found.items()))

    def asset(self, key: str) -> Path:
        """The staged asset an S3 key of the template names (as `cdk deploy` would upload it)."""
        digest = key.removesuffix(".zip")
        packed = self.outdir / f"asset.{digest}.zip"
        return packed if packed.exists() else self.outdir / f"asset.{digest}"


@pytest.fixture(scope="session")
def synthesized(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Synth]]:
    from infra import packaging
    from infra.stack import build_app

    packaging.require_layer()
    outdir = tmp_path_factory.mktemp("cdk.out")
    assembly = build_app(stages=STAGES, outdir=str(outdir)).synth()
    found: dict[str, Synth] = {}
    for stack in assembly.stacks:
        path = Path(assembly.directory) / stack.template_file
        stage = stack.stack_name.removeprefix("ContainerStacks-")
        found[stage] = Synth(stage, json.loads(path.read_text()), Path(assembly.directory), path)
    yield found


@pytest.fixture(scope="session")
def dev(synthesized: dict[str, Synth]) -> Synth:
    return synthesized["dev"]


@pytest.fixture(scope="session")
def prod(synthesized: dict[str, Synth]) -> Synth:
    return synthesized["prod"]


@pytest.fixture(scope="session", params=STAGES)
def each(request: pytest.FixtureRequest, synthesized: dict[str, Synth]) -> Synth:
    return synthesized[str(request.param)]
