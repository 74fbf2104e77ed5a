"""Alert rules (create, list, delete), the event list, and the entry point other capabilities call to raise
or clear an event they observe themselves (a missed backup)."""

from __future__ import annotations

from dataclasses import replace

from chalicelib.domain.monitoring.delivery import AlertDelivery
from chalicelib.domain.monitoring.entities import (
    FIRING,
    MAX_RULES,
    ORG_SUBJECT,
    AlertEvent,
    AlertRule,
    RuleRequest,
)
from chalicelib.domain.monitoring.ports import AlertEvents, AlertRules
from chalicelib.domain.shared.clock import Clock, utcnow
from chalicelib.domain.shared.errors import ValidationFailed
from chalicelib.domain.shared.ids import monotonic_ulid, new_ulid
from chalicelib.domain.shared.paging import Page
from chalicelib.domain.shared.principal import Principal
from chalicelib.domain.shared.tenancy import tenant_scope


def check_rule(req: RuleRequest) -> None:
    """Raises ValidationFailed naming the field a rule of its kind needs."""
    if req.kind == "metric":
        for name in ("metric", "comparator", "threshold", "container_id"):
            if getattr(req, name) is None:
                raise ValidationFailed(f"A metric rule needs {name}.", details={"field": name})
        if req.event is not None:
            raise ValidationFailed("A metric rule has no event.", details={"field": "event"})
    else:
        if req.event is None:
            raise ValidationFailed("An event rule needs event.", details={"field": "event"})
        if req.metric is not None or req.comparator is not None:
            raise ValidationFailed("An event rule has no metric or comparator.", details={"field": "metric"})
        if req.event == "low_balance" and req.threshold is None:
            raise ValidationFailed(
                "A low_balance rule needs threshold (dollars).", details={"field": "threshold"}
            )


class AlertService:
    """Raises ValidationFailed, NotFound, Conflict (too many rules), StoreUnavailable."""

    def __init__(
        self, rules: AlertRules, events: AlertEvents, delivery: AlertDelivery, *, clock: Clock = utcnow
    ) -> None:
        self._rules = rules
        self._events = events
        self._delivery = delivery
        self._clock = clock

    def create(self, p: Principal, req: RuleRequest) -> AlertRule:
        check_rule(req)
        rule = AlertRule(
            id=new_ulid(),
            organization_id=p.organization_id,
            name=req.name,
            kind=req.kind,
            metric=req.metric,
            comparator=req.comparator,
            threshold=req.threshold,
            duration_minutes=req.duration_minutes if req.kind == "metric" else 1,
            event=req.event,
            container_id=req.container_id,
            emails=req.emails,
            created_by=p.user_id,
            created_at=self._clock(),
        )
        self._rules.add(rule, MAX_RULES)
        return rule

    def list(self, p: Principal) -> list[AlertRule]:
        return self._rules.of_org(p.organization_id)

    def delete(self, p: Principal, rule_id: str) -> None:
        self._rules.remove(p.organization_id, rule_id)

    def events(self, p: Principal, limit: int, cursor: str | None) -> Page[AlertEvent]:
        return self._events.page(p.organization_id, limit, cursor)

    # ------------------------------------------------------------ raised by other capabilities
    def backup_missed(self, org_id: str, backup: str, reason: str) -> int:
        """A scheduled backup of `backup` (its name or id) did not run or failed: every backup_missed rule of
        the organization fires for it (once while it stays missed). Returns how many rules fired."""
        return self._raise(org_id, backup, reason, firing=True)

    def backup_succeeded(self, org_id: str, backup: str) -> int:
        """The next backup of `backup` succeeded: its backup_missed events resolve. Returns how many did."""
        return self._raise(org_id, backup, f"A backup of {backup} succeeded.", firing=False)

    def _raise(self, org_id: str, subject: str, message: str, *, firing: bool) -> int:
        changed = 0
        now = self._clock()
        with tenant_scope(org_id):
            for rule in self._rules.of_org(org_id):
                if rule.event != "backup_missed" or (subject in rule.firing) == firing:
                    continue
                if firing:
                    event = AlertEvent(
                        monotonic_ulid(),
                        org_id,
                        rule.id,
                        rule.name,
                        subject or ORG_SUBJECT,
                        FIRING,
                        message,
                        None,
                        now,
                    )
                    if self._rules.save_state(rule, replace(rule, firing={**rule.firing, subject: event.id})):
                        self._delivery.fire(event, rule)
                        changed += 1
                else:
                    event_id = rule.firing[subject]
                    rest = {k: v for k, v in rule.firing.items() if k != subject}
                    if self._rules.save_state(rule, replace(rule, firing=rest)):
                        self._delivery.resolve(org_id, event_id, rule, now, message)
                        changed += 1
        return changed
