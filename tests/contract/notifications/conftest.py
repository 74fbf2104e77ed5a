"""The notification stores, real (moto) and fake: every contract test here runs against both."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from chalicelib import wiring
from chalicelib.domain.notifications.ports import NotificationStore, WebhookStore
from tests.fakes.notifications import FakeNotifications, FakeWebhookStore


@dataclass(frozen=True)
class Stores:
    notifications: NotificationStore
    webhooks: WebhookStore


@pytest.fixture(params=["fake", "dynamodb"])
def stores(request: pytest.FixtureRequest) -> Stores:
    if request.param == "dynamodb":
        request.getfixturevalue("clean_tables")
        wiring.settings()
        from chalicelib.store.notifications.repository import NotificationRepository
        from chalicelib.store.notifications.webhooks import WebhookRepository

        return Stores(NotificationRepository(), WebhookRepository())
    return Stores(FakeNotifications(), FakeWebhookStore())
