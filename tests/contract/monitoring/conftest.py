"""Monitoring's stores, real (moto) and fake: every contract test here runs against both."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from chalicelib import wiring
from chalicelib.domain.monitoring.ports import AlertEvents, AlertRules, MetricStore, ScrapeTokens
from tests.fakes.monitoring import FakeAlertEvents, FakeAlertRules, FakeMetricStore, FakeScrapeTokens


@dataclass(frozen=True)
class Stores:
    metrics: MetricStore
    rules: AlertRules
    events: AlertEvents
    tokens: ScrapeTokens


@pytest.fixture(params=["fake", "dynamodb"])
def stores(request: pytest.FixtureRequest) -> Stores:
    if request.param == "dynamodb":
        request.getfixturevalue("clean_tables")
        wiring.settings()
        from chalicelib.store.monitoring.alerts import (
            AlertEventRepository,
            AlertRuleRepository,
            ScrapeTokenRepository,
        )
        from chalicelib.store.monitoring.repository import MetricRepository

        return Stores(
            MetricRepository(), AlertRuleRepository(), AlertEventRepository(), ScrapeTokenRepository()
        )
    return Stores(FakeMetricStore(), FakeAlertRules(), FakeAlertEvents(), FakeScrapeTokens())
