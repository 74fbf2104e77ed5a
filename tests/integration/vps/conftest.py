"""VPS integration tests: the API and its workflows (executed by moto) against a fake provider account
(tests/support/vps.py); moto's DynamoDB serialised, as the workflows write while the tests call the API."""

from __future__ import annotations

import pytest

from tests.support.billing import serialise_moto_dynamodb


@pytest.fixture(scope="session", autouse=True)
def _serialised_moto() -> None:
    serialise_moto_dynamodb()
