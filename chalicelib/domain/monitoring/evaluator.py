"""Scheduled every minute: every alert rule against the latest data; a subject that starts breaching fires an
event, one that stops resolves it.

A metric rule fires when its container's last `duration_minutes` samples (one a minute, none missing) all
breach, and stays firing while the newest sample breaches. Event rules read the collector's snapshot of the
organization (exited, killed for memory, host unreachable) or the wallet (low balance); backup_missed is
raised by the backups capability itself (AlertService.backup_missed).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from itertools import groupby

from chalicelib.domain.monitoring.delivery import AlertDelivery
from chalicelib.domain.monitoring.entities import (
    FIRING,
    ORG_SUBJECT,
    AlertEvent,
    AlertRule,
    OrgSnapshot,
    compare,
    metric_value,
    minute_of,
)
from chalicelib.domain.monitoring.ports import AlertRules, Balances, MetricStore
from chalicelib.domain.shared.clock import Clock, utcnow
from chalicelib.domain.shared.errors import DomainError
from chalicelib.domain.shared.ids import monotonic_ulid
from chalicelib.domain.shared.tenancy import tenant_scope

log = logging.getLogger(__name__)
STALE = timedelta(minutes=3)  # a newest sample older than this says nothing about now


@dataclass(frozen=True)
class Breach:
    message: str
    value: float | None


class AlertEvaluator:
    def __init__(
        self,
        rules: AlertRules,
        store: MetricStore,
        delivery: AlertDelivery,
        balances: Balances,
        *,
        clock: Clock = utcnow,
    ) -> None:
        self._rules = rules
        self._store = store
        self._delivery = delivery
        self._balances = balances
        self._clock = clock

    def evaluate(self) -> dict[str, int]:
        totals = {"rules": 0, "fired": 0, "resolved": 0, "failed": 0}
        now = self._clock()
        ordered: list[AlertRule] = sorted(self._rules.all_rules(), key=lambda r: r.organization_id)
        for org_id, group in groupby(ordered, key=lambda r: r.organization_id):
            rules = list(group)
            try:
                with tenant_scope(org_id):
                    self._evaluate_org(org_id, rules, now, totals)
            except DomainError:
                log.exception("alert rules of %s not evaluated", org_id)
                totals["failed"] += len(rules)
        return totals

    def _evaluate_org(
        self, org_id: str, rules: list[AlertRule], now: datetime, totals: dict[str, int]
    ) -> None:
        snapshot = self._store.org_snapshot(org_id)
        if snapshot is not None and now - snapshot.at > STALE:
            snapshot = None  # the collector saw none of its containers lately (all deleted, or it is down)
        for rule in rules:
            totals["rules"] += 1
            if rule.event == "backup_missed":
                continue  # raised and cleared by the backups capability
            try:
                breaches = self._breaches(rule, snapshot, now)
            except DomainError:  # e.g. no wallet yet: this rule waits, the others go on
                log.exception("alert rule %s of %s not evaluated", rule.id, org_id)
                totals["failed"] += 1
                continue
            fire = {s: b for s, b in breaches.items() if s not in rule.firing}
            gone = {s: e for s, e in rule.firing.items() if s not in breaches}
            if not fire and not gone:
                continue
            events = {
                subject: AlertEvent(
                    monotonic_ulid(), org_id, rule.id, rule.name, subject, FIRING, b.message, b.value, now
                )
                for subject, b in fire.items()
            }
            state = {
                **{s: e for s, e in rule.firing.items() if s not in gone},
                **{s: e.id for s, e in events.items()},
            }
            if not self._rules.save_state(rule, replace(rule, firing=state)):
                continue  # changed or deleted meanwhile: the next run sees it
            for event in events.values():
                self._delivery.fire(event, rule)
                totals["fired"] += 1
            for subject, event_id in gone.items():
                self._delivery.resolve(org_id, event_id, rule, now, f"{subject} is back within the rule.")
                totals["resolved"] += 1

    def _breaches(self, rule: AlertRule, snapshot: OrgSnapshot | None, now: datetime) -> dict[str, Breach]:
        if rule.kind == "metric":
            return self._metric_breach(rule, now)
        if rule.event == "low_balance":
            balance = self._balances.balance_cents(rule.organization_id)
            limit = round((rule.threshold or 0) * 100)
            if balance < limit:
                text = f"The balance is {balance / 100:.2f} USD, below {limit / 100:.2f} USD."
                return {ORG_SUBJECT: Breach(text, balance / 100)}
            return {}
        found: dict[str, Breach] = {}
        for state in snapshot.containers if snapshot else ():
            if rule.container_id and state.container_id != rule.container_id:
                continue
            if rule.event == "container_exited" and state.status in ("exited", "error"):
                found[state.container_id] = Breach(f"Container {state.name} is {state.status}.", None)
            elif rule.event == "oom_killed" and state.oom_killed:
                found[state.container_id] = Breach(f"Container {state.name} was killed: out of memory.", None)
            elif rule.event == "host_unreachable" and not state.host_reachable:
                found[state.container_id] = Breach(
                    f"The host of container {state.name} does not answer.", None
                )
        return found

    def _metric_breach(self, rule: AlertRule, now: datetime) -> dict[str, Breach]:
        if not (rule.metric and rule.comparator and rule.threshold is not None and rule.container_id):
            return {}  # not a complete metric rule (the API never stores one)
        minutes = rule.duration_minutes
        end = minute_of(now) + timedelta(minutes=1)
        samples = self._store.samples(
            rule.organization_id, rule.container_id, end - timedelta(minutes=minutes + 1), end
        )
        if not samples or now - samples[-1].at > STALE:
            return {}
        values = [metric_value(rule.metric, s) for s in samples]
        if rule.container_id in rule.firing:  # stays firing while the newest sample breaches
            held = compare(rule.comparator, values[-1], rule.threshold)
            return {rule.container_id: Breach("", values[-1])} if held else {}
        window = samples[-minutes:]
        sustained = (
            len(window) == minutes
            and window[-1].at - window[0].at == timedelta(minutes=minutes - 1)
            and all(compare(rule.comparator, v, rule.threshold) for v in values[-minutes:])
        )
        if not sustained:
            return {}
        shown = _shown(rule.metric, values[-1])
        text = (
            f"{rule.metric} is {shown} ({_words[rule.comparator]} {_shown(rule.metric, rule.threshold)}) "
            + (f"for {minutes} minute{'s' if minutes > 1 else ''}.")
        )
        return {rule.container_id: Breach(text, values[-1])}


_words = {"gt": "above", "gte": "at or above", "lt": "below", "lte": "at or below"}


def _shown(metric: str, value: float) -> str:
    if metric == "memory_bytes":
        return f"{value / 2**20:.1f} MiB"
    return f"{value:g} %"
