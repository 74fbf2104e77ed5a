"""MailDelivery: sends what the outbox holds, one recipient at a time, and never loses a message.

A run takes the messages that are due, holds each (a lease, so two runs never send it at the same time),
resolves its recipients now (every administrator plus the support address, or one user's address), and sends
to those not served yet. A message every recipient took is removed; otherwise the recipients served are
recorded and the message is put back with a doubled wait (RetryPolicy), however long the outage lasts.
A run that dies half-way leaves its messages held until the lease ends; the next run takes them over (a
recipient may then get a message twice, never zero times).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace

from chalicelib.domain.shared.clock import Clock, utcnow
from chalicelib.domain.shared.errors import ServiceUnavailable
from chalicelib.domain.shared.mail import Mailer
from chalicelib.domain.support.entities import DeliveryReport, OutboxMessage, RetryPolicy
from chalicelib.domain.support.ports import Directory, Outbox

log = logging.getLogger("containerstacks.support.mail")
MAX_ERROR = 500


class MailDelivery:
    """Delivers the outbox through the Mailer. `support_email`: also told of everything operators are."""

    def __init__(
        self,
        outbox: Outbox,
        mailer: Callable[[], Mailer],
        directory: Directory,
        policy: RetryPolicy,
        support_email: str = "",
        clock: Clock = utcnow,
    ) -> None:
        self._outbox = outbox
        self._mailer = mailer
        self._directory = directory
        self._policy = policy
        self._support_email = support_email.strip()
        self._clock = clock

    def deliver_due(self) -> DeliveryReport:
        """One run over what is due now. Raises StoreUnavailable when the outbox cannot be read."""
        now = self._clock()
        delivered = deferred = emails = skipped = 0
        errors: list[str] = []
        for message in self._outbox.due(now, self._policy.batch):
            if deferred >= self._policy.failures_per_run:  # the server is down: leave the rest for later
                break
            held = self._outbox.claim(message, now + self._policy.lease())
            if held is None:
                skipped += 1
                continue
            sent, error = self._send(held)
            emails += len(sent)
            served = tuple(dict.fromkeys((*held.delivered_to, *sent)))
            if error is None:
                self._outbox.remove(replace(held, delivered_to=served))
                delivered += 1
                continue
            attempts = held.attempts + 1
            retry_at = self._clock() + self._policy.delay(attempts)
            self._outbox.save(
                replace(
                    held, delivered_to=served, attempts=attempts, last_error=error, next_attempt_at=retry_at
                )
            )
            deferred += 1
            errors.append(error)
            log.warning(
                "mail %s (%s) not delivered, attempt %d; next attempt at %s: %s",
                held.id,
                held.template,
                attempts,
                retry_at.isoformat(),
                error,
            )
        return DeliveryReport(delivered, deferred, emails, skipped, errors)

    def recipients(self, message: OutboxMessage) -> list[str]:
        """Addresses the message goes to now, lower-cased, each once."""
        if message.audience == "admins":
            addresses = [person.email for person in self._directory.admins()]
            if self._support_email:
                addresses.append(self._support_email)
        else:
            person = self._directory.person(message.user_id) if message.user_id else None
            addresses = [person.email] if person else []
        return list(dict.fromkeys(address.strip().lower() for address in addresses if address.strip()))

    def _send(self, message: OutboxMessage) -> tuple[list[str], str | None]:
        """(addresses that took it, the error that stopped the run of this message or None)."""
        pending = [to for to in self.recipients(message) if to not in message.delivered_to]
        sent: list[str] = []
        if not pending:
            return sent, None
        try:
            mailer = self._mailer()
            for to in pending:
                mailer.send(to, message.template, message.values)
                sent.append(to)
        except ServiceUnavailable as exc:
            return sent, exc.message[:MAX_ERROR]
        except (
            KeyError
        ) as exc:  # an unknown template: a bug; kept (and retried) until a fixed release sends it
            log.error("mail %s names an unknown template %s", message.id, exc)
            return sent, f"unknown template {message.template}"
        return sent, None
