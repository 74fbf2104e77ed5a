"""Alert events: written, then told in the app and to webhooks (the Notifier) and by email to the rule's
addresses. Telling never fails the evaluation: a mail server that does not answer is logged."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime, timedelta

from chalicelib.domain.monitoring.entities import FIRING, RESOLVED, AlertEvent, AlertRule
from chalicelib.domain.monitoring.ports import AlertEvents
from chalicelib.domain.shared.mail import Mailer
from chalicelib.domain.shared.notices import Notice, Notifier

log = logging.getLogger(__name__)
EVENT_RETENTION = timedelta(days=90)


class AlertDelivery:
    def __init__(
        self, events: AlertEvents, notifier: Notifier, mailer: Mailer, keep: timedelta = EVENT_RETENTION
    ) -> None:
        self._events = events
        self._notifier = notifier
        self._mailer = mailer
        self._keep = keep

    def fire(self, event: AlertEvent, rule: AlertRule) -> None:
        self._events.add(event, event.at + self._keep)
        self._tell(event, rule)

    def resolve(self, org_id: str, event_id: str, rule: AlertRule, at: datetime, message: str) -> None:
        resolved = self._events.resolve(org_id, event_id, at)
        if resolved is None:
            return
        self._tell(replace(resolved, state=RESOLVED, message=message, resolved_at=at), rule)

    def _tell(self, event: AlertEvent, rule: AlertRule) -> None:
        kind = "alert.firing" if event.state == FIRING else "alert.resolved"
        word = "fires" if event.state == FIRING else "resolved"
        self._notifier.notify(
            Notice(
                organization_id=event.organization_id,
                kind=kind,
                title=f"Alert {rule.name} {word} for {event.subject}",
                body=event.message,
                resource_type="alert",
                resource_id=rule.id,
                data={
                    "event_id": event.id,
                    "rule_id": rule.id,
                    "rule": rule.name,
                    "subject": event.subject,
                    "state": event.state,
                    "value": event.value,
                    "at": (event.resolved_at or event.at).isoformat(),
                },
            )
        )
        values = {
            "rule": rule.name,
            "subject": event.subject,
            "message": event.message,
            "at": (event.resolved_at or event.at).strftime("%Y-%m-%d %H:%M UTC"),
        }
        template = "alert_firing" if event.state == FIRING else "alert_resolved"
        for address in rule.emails:
            try:
                self._mailer.send(address, template, values)
            except Exception:  # a mail failure must not stop the other alerts
                log.exception("alert mail %s of rule %s not sent", template, rule.id)
