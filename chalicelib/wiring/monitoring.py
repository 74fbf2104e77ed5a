"""Monitoring: the collector, the metrics service, alert rules and their evaluator."""

from __future__ import annotations

import os
from datetime import timedelta

from chalicelib.domain.monitoring.alerts import AlertService
from chalicelib.domain.monitoring.collector import MetricsCollector
from chalicelib.domain.monitoring.delivery import AlertDelivery
from chalicelib.domain.monitoring.evaluator import AlertEvaluator
from chalicelib.domain.monitoring.service import MetricsService
from chalicelib.domain.shared.errors import ConfigurationError
from chalicelib.wiring import component, settings
from chalicelib.wiring.events import notifier
from chalicelib.wiring.hosts import get_hosts


@component
def retention() -> timedelta:
    """How long samples are kept: CS_METRICS_RETENTION_DAYS (1..365, default 30), read on first use."""
    raw = os.environ.get("CS_METRICS_RETENTION_DAYS") or "30"
    if not raw.isdigit() or not 1 <= int(raw) <= 365:
        raise ConfigurationError(f"CS_METRICS_RETENTION_DAYS must be a number of days 1..365, not {raw!r}")
    return timedelta(days=int(raw))


class LedgerBalances:
    """Balances over billing's ledger: the wallet item (one GetItem)."""

    def balance_cents(self, org_id: str) -> int:
        from chalicelib.store.billing.ledger import LedgerRepository

        return LedgerRepository().wallet(org_id).balance_cents


@component
def get_metrics() -> MetricsService:
    from chalicelib.store.monitoring.alerts import ScrapeTokenRepository
    from chalicelib.store.monitoring.repository import MetricRepository

    settings()
    return MetricsService(MetricRepository(), ScrapeTokenRepository())


@component
def get_collector() -> MetricsCollector:
    from chalicelib.store.containers.repository import ContainerRepository
    from chalicelib.store.hosts.repository import HostRepository
    from chalicelib.store.monitoring.repository import MetricRepository

    settings()
    return MetricsCollector(
        ContainerRepository(),
        HostRepository(),
        get_hosts().engine_for,
        MetricRepository(),
        retention=retention(),
    )


@component
def alert_delivery() -> AlertDelivery:
    from chalicelib.store.monitoring.alerts import AlertEventRepository
    from chalicelib.wiring.mail import smtp_mailer

    current = settings()
    return AlertDelivery(AlertEventRepository(), notifier(), smtp_mailer(current.billing.mail_from))


@component
def get_alerts() -> AlertService:
    """Also the entry point of other capabilities: get_alerts().backup_missed(org_id, backup, reason)."""
    from chalicelib.store.monitoring.alerts import AlertEventRepository, AlertRuleRepository

    settings()
    return AlertService(AlertRuleRepository(), AlertEventRepository(), alert_delivery())


@component
def get_evaluator() -> AlertEvaluator:
    from chalicelib.store.monitoring.alerts import AlertRuleRepository
    from chalicelib.store.monitoring.repository import MetricRepository

    settings()
    return AlertEvaluator(AlertRuleRepository(), MetricRepository(), alert_delivery(), LedgerBalances())
