"""Billing integration tests: moto's DynamoDB serialised (concurrent transactions), the PayPal stub, SMTP."""

from __future__ import annotations

import pytest

from tests.support.billing import serialise_moto_dynamodb


@pytest.fixture(scope="session", autouse=True)
def _serialised_moto() -> None:
    serialise_moto_dynamodb()
