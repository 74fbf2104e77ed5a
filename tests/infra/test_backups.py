"""Backups in AWS: workflows and scheduler from the registry, archive access scoped to backups/."""

from __future__ import annotations

import json

from tests.infra.conftest import Synth
from tests.infra.policies import as_list, role_id, role_statements

S3_ACTIONS = {"s3:PutObject", "s3:GetObject", "s3:DeleteObject"}


def _s3(each: Synth, prefix: str) -> list[dict[str, object]]:
    """The role's S3 statements on backup archives (other slices' buckets have statements of their own)."""
    return [
        s
        for s in role_statements(each, role_id(each, prefix))
        if any(str(a).startswith("s3:") for a in as_list(s["Action"]))
        and "/backups/*" in json.dumps(s["Resource"])
    ]


def test_workers_write_read_and_delete_archives_and_the_api_only_deletes_them(each: Synth) -> None:
    [worker] = _s3(each, "WorkerRole")
    assert set(as_list(worker["Action"])) == S3_ACTIONS
    assert json.dumps(worker["Resource"]).endswith('/backups/*"]]}')
    [api] = _s3(each, "ApiRole")
    assert as_list(api["Action"]) == ["s3:DeleteObject"]
    assert api["Resource"] == worker["Resource"]


def test_the_backup_workflows_and_the_scheduler_are_deployed(each: Synth) -> None:
    machines = json.dumps(each.of_type("AWS::StepFunctions::StateMachine"))
    assert f"cs-backup-{each.stage}" in machines and f"cs-restore-backup-{each.stage}" in machines
    rules = json.dumps(each.of_type("AWS::Events::Rule"))
    assert "BackupScheduleFunction" in rules
    starting = [
        s
        for s in role_statements(each, role_id(each, "WorkerRole"))
        if "states:StartExecution" in as_list(s["Action"])
    ]
    assert len(starting) == 1 and f"cs-backup-{each.stage}" in json.dumps(starting[0]["Resource"])
