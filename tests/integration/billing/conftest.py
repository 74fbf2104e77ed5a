"""Billing integration tests: moto's DynamoDB serialised (concurrent transactions), the PayPal stub, SMTP."""

from __future__ import annotations

import pytest

from tests.support.billing import paypal, paypal_server, serialise_moto_dynamodb

__all__ = ["paypal", "paypal_server"]


@pytest.fixture(scope="session", autouse=True)
def _serialised_moto() -> None:
    serialise_moto_dynamodb()
