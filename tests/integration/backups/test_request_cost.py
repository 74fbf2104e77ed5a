"""DynamoDB calls of the backup reads: one auth read and one data read, never a Scan."""

from __future__ import annotations

import pytest

from tests.integration.backups.conftest import wait_backup
from tests.integration.backups.test_backup_restore import deployed, finished
from tests.support.api import Api
from tests.support.counting import aws_calls

pytestmark = pytest.mark.docker


def test_listing_and_reading_backups_cost_one_auth_read_and_one_data_read(
    backups_api: Api, default_host: str, test_image: str
) -> None:
    ann = backups_api.user()
    container_id = deployed(ann, test_image)
    created = ann.call("POST", "/api/backups", {"container_id": container_id}).body
    wait_backup(ann, created["id"], finished)
    ann.call("GET", "/api/backups")  # warm the cached service objects
    with aws_calls() as listing:
        assert ann.call("GET", "/api/backups").status == 200
    with aws_calls() as reading:
        assert ann.call("GET", f"/api/backups/{created['id']}").status == 200
    assert listing == [("dynamodb", "BatchGetItem"), ("dynamodb", "Query")]
    assert reading == [("dynamodb", "BatchGetItem"), ("dynamodb", "GetItem")]
