"""Delivering webhook events: claim a due delivery, check its URL again, sign, send, record, back off."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Literal

from chalicelib.domain.notifications.entities import (
    DELIVERED,
    FAILED,
    PENDING,
    Attempt,
    Delivery,
    DeliveryPolicy,
    DeliveryRef,
)
from chalicelib.domain.notifications.ports import Resolver, Sender, WebhookStore
from chalicelib.domain.notifications.signing import DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, signature
from chalicelib.domain.notifications.ssrf import UnsafeUrl, check
from chalicelib.domain.shared.clock import Clock, utcnow
from chalicelib.domain.shared.errors import DomainError, NotFound
from chalicelib.domain.shared.secrets import SecretBox

log = logging.getLogger(__name__)
Outcome = Literal["delivered", "retrying", "failed", "skipped"]
USER_AGENT = "ContainerStacks-Webhooks/1"
# A batch of due deliveries is read, then sent WORKERS at a time; an attempt ends after twice the timeout
# at the latest (10 s by default), so a batch of receivers that all hang takes BATCH / WORKERS * 10 s = 50 s,
# and a run that starts no batch after its budget (60 s) ends within the function's 2 minutes.
BATCH = 40
WORKERS = 8
MAX_ERROR = 300


class WebhookDispatcher:
    """Attempts deliveries. Every attempt first claims its queue entry (one worker per delivery at a time),
    so the scheduled run and the immediate trigger never send the same attempt twice; a worker that vanishes
    mid-attempt loses its claim after the policy's lease and the delivery is due again (at least once)."""

    def __init__(
        self,
        store: WebhookStore,
        resolver: Resolver,
        sender: Sender,
        secrets: SecretBox,
        policy: DeliveryPolicy,
        *,
        clock: Clock = utcnow,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._store = store
        self._resolver = resolver
        self._sender = sender
        self._secrets = secrets
        self._policy = policy
        self._clock = clock
        self._monotonic = monotonic

    def deliver(self, refs: list[DeliveryRef]) -> dict[str, int]:
        """Attempt these deliveries now (the immediate trigger); counts per outcome."""
        return self._run(refs, self._clock())

    def deliver_due(self, *, at: datetime | None = None, budget_seconds: float = 60.0) -> dict[str, int]:
        """Attempt every delivery due at `at` (default now), batch after batch, until none is left or the time
        budget is spent (the rest waits for the next run); counts per outcome."""
        now = at or self._clock()
        stop = self._monotonic() + budget_seconds
        totals = {"delivered": 0, "retrying": 0, "failed": 0, "skipped": 0}
        seen: set[str] = set()
        while self._monotonic() < stop:
            refs = [r for r in self._store.due(now, BATCH) if r.queue_key not in seen]
            if not refs:
                break
            seen.update(r.queue_key for r in refs)
            for outcome, count in self._run(refs, now).items():
                totals[outcome] += count
        return totals

    def _run(self, refs: list[DeliveryRef], now: datetime) -> dict[str, int]:
        counts = {"delivered": 0, "retrying": 0, "failed": 0, "skipped": 0}
        if not refs:
            return counts
        with ThreadPoolExecutor(max_workers=min(WORKERS, len(refs))) as pool:
            for outcome in pool.map(lambda ref: self._attempt_safely(ref, now), refs):
                counts[outcome] += 1
        return counts

    def _attempt_safely(self, ref: DeliveryRef, now: datetime) -> Outcome:
        try:
            return self.attempt(ref, now)
        except Exception:
            log.exception("delivery %s of %s could not be attempted", ref.delivery_id, ref.organization_id)
            return "skipped"

    def attempt(self, ref: DeliveryRef, now: datetime | None = None) -> Outcome:
        """One attempt at one delivery, if it is due at `now` and nobody else holds it."""
        due_at = now or self._clock()
        token = self._store.claim(ref, due_at, self._clock() + timedelta(seconds=self._policy.lease_seconds))
        if token is None:
            return "skipped"
        delivery = self._store.delivery(ref)
        if delivery.status != PENDING:  # a leftover queue entry: release it
            self._store.settle(ref, token, delivery, delivery, self._expires(delivery))
            return "skipped"
        try:
            endpoint = self._store.endpoint(ref.organization_id, ref.endpoint_id)
        except NotFound:
            gone = replace(
                delivery, status=FAILED, next_attempt_at=None, final_error="The endpoint was removed."
            )
            self._store.settle(ref, token, delivery, gone, self._expires(delivery))
            return "failed"
        attempt = self._send(delivery, endpoint.url, endpoint.secret_encrypted, endpoint.secret_context())
        after = self._after(delivery, attempt)
        if not self._store.settle(ref, token, delivery, after, self._expires(delivery)):
            log.info("delivery %s was recorded by another worker meanwhile", delivery.id)
            return "skipped"
        return (
            "delivered" if after.status == DELIVERED else "failed" if after.status == FAILED else "retrying"
        )

    def _send(self, delivery: Delivery, url: str, secret_encrypted: str, context: dict[str, str]) -> Attempt:
        number = len(delivery.attempts) + 1
        started = self._clock()
        try:
            checked = check(url, self._resolver.resolve, allow_loopback=self._policy.allow_loopback)
        except UnsafeUrl as refused:
            return Attempt(number, started, None, refused.reason, 0)
        try:
            secret = self._secrets.decrypt(secret_encrypted, context)
        except DomainError as exc:
            return Attempt(number, started, None, f"The signing secret could not be read: {exc.message}", 0)
        body = delivery.body.encode()
        headers = {
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            EVENT_HEADER: delivery.kind,
            DELIVERY_HEADER: delivery.id,
            SIGNATURE_HEADER: signature(secret, int(started.timestamp()), body),
        }
        result = self._sender.post(
            checked.target, str(checked.address), headers, body, self._policy.timeout_seconds
        )
        error = result.error
        if error is None and result.status_code is not None and not 200 <= result.status_code < 300:
            error = f"The receiver answered {result.status_code}."
            if 300 <= result.status_code < 400:
                error += " Redirects are not followed: register the final URL."
        return Attempt(number, started, result.status_code, _clip(error), result.duration_ms)

    def _after(self, delivery: Delivery, attempt: Attempt) -> Delivery:
        attempts = (*delivery.attempts, attempt)
        if attempt.succeeded:
            return replace(
                delivery, status=DELIVERED, attempts=attempts, next_attempt_at=None, delivered_at=attempt.at
            )
        if len(attempts) >= self._policy.max_attempts:
            return replace(delivery, status=FAILED, attempts=attempts, next_attempt_at=None)
        wait = timedelta(seconds=self._policy.retry_seconds[len(attempts) - 1])
        return replace(delivery, attempts=attempts, next_attempt_at=self._clock() + wait)

    def _expires(self, delivery: Delivery) -> datetime:
        return delivery.created_at + timedelta(days=self._policy.log_days)


def _clip(error: str | None) -> str | None:
    return error if error is None or len(error) <= MAX_ERROR else error[: MAX_ERROR - 1] + "…"
