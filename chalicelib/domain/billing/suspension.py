"""Running out of money: runway warnings, suspension after a grace period, resumption, termination."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime, timedelta

from chalicelib.domain.billing.entities import BillingPolicy, BillingState, runway_hours
from chalicelib.domain.billing.ports import Directory, StateStore, Workloads
from chalicelib.domain.shared.audit import AuditEvent, AuditTrail, NoAudit
from chalicelib.domain.shared.clock import Clock, utcnow
from chalicelib.domain.shared.errors import DomainError
from chalicelib.domain.shared.mail import Mailer
from chalicelib.domain.shared.money import format_cents
from chalicelib.domain.shared.notices import NoNotifier, Notice, Notifier

log = logging.getLogger(__name__)
ACTOR = "system:billing"  # who suspends, resumes and terminates, in the audit trail


class Suspension:
    """Decides, after each billing run and each top-up, whether to warn, suspend, resume or terminate.

    Mail failures are logged and retried at the next review (the state records only what was sent).
    """

    def __init__(
        self,
        states: StateStore,
        workloads: Workloads,
        mailer: Mailer,
        directory: Directory,
        policy: BillingPolicy,
        *,
        clock: Clock = utcnow,
        notifier: Notifier = NoNotifier(),
    ) -> None:
        self._states = states
        self._notifier = notifier
        self._workloads = workloads
        self._mailer = mailer
        self._directory = directory
        self._policy = policy
        self._clock = clock
        self.audit: AuditTrail = NoAudit()

    def review(self, org_id: str, balance_cents: int, burn_micros_hour: int) -> BillingState:
        """After usage was charged: warn about the runway, start or end an episode at zero, suspend after
        the grace period, announce and carry out termination after long suspension."""
        now = self._clock()
        state = self._states.get(org_id)
        new = self._warn(state, balance_cents, burn_micros_hour)
        if balance_cents > 0:
            new = replace(new, zero_since=None)
        elif burn_micros_hour > 0 or new.suspended_at:
            zero_since = new.zero_since or now
            new = replace(new, zero_since=zero_since)
            grace = timedelta(seconds=self._policy.grace_seconds)
            if new.suspended_at is None and now - zero_since >= grace:
                new = self._suspend(new, balance_cents, now)
            elif new.suspended_at is not None:
                new = self._maybe_terminate(self._stop_latecomers(new), now)
        if new != state:
            self._states.put(new, now)
        return new

    def funded(self, org_id: str, balance_cents: int) -> None:
        """After a credit: a positive balance ends the episode and resumes what suspension stopped."""
        if balance_cents <= 0:
            return
        state = self._states.get(org_id)
        if state == type(state)(organization_id=org_id):
            return
        if state.suspended_ids and state.terminated_at is None:
            # Lift the suspension first (starting is refused while it holds), keeping the list until every
            # resource was started: a crash in between resumes the rest at the next credit.
            if state.suspended_at is not None:
                state = replace(state, suspended_at=None, zero_since=None)
                self._states.put(state, self._clock())
            for resource_id in state.suspended_ids:
                try:
                    self._workloads.start(org_id, resource_id)
                except DomainError as exc:
                    log.warning("could not resume %s of %s: %s", resource_id, org_id, exc.message)
            self._mail(org_id, "resumed", {"balance": format_cents(balance_cents)})
            self._record(
                "billing.resumed", org_id, {"suspended_ids": list(state.suspended_ids)}, balance_cents
            )
            self._tell(
                org_id,
                "billing.resumed",
                "Your workloads were started again",
                f"The balance is {format_cents(balance_cents)} again, so the suspension ended.",
                {"balance": format_cents(balance_cents), "resumed": list(state.suspended_ids)},
            )
        self._states.put(BillingState(organization_id=org_id), self._clock())

    # ------------------------------------------------------------ steps
    def _warn(self, state: BillingState, balance: int, burn: int) -> BillingState:
        runway = runway_hours(balance, burn)
        if runway is None or balance <= 0:
            return state
        crossed = [h for h in self._policy.warn_hours if runway < h]
        if not crossed:
            return replace(state, warned_below_hours=None)  # the episode is over
        lowest = min(crossed)
        if state.warned_below_hours is not None and state.warned_below_hours <= lowest:
            return state  # already warned at this level in this episode
        sent = self._mail(
            state.organization_id,
            "runway_warning",
            {"hours": str(lowest), "runway": f"{runway:.1f}", "balance": format_cents(balance)},
        )
        if sent:  # once per level and episode, like the mail (a mail that failed is retried, and so is this)
            self._tell(
                state.organization_id,
                "billing.low_balance",
                f"Your balance runs out in about {runway:.0f} hours",
                f"The balance is {format_cents(balance)}; at the current usage it lasts about {runway:.1f} "
                "hours. Top up the wallet to keep your workloads running.",
                {"balance": format_cents(balance), "runway_hours": round(runway, 1), "below_hours": lowest},
            )
        return replace(state, warned_below_hours=lowest) if sent else state

    def _suspend(self, state: BillingState, balance: int, now: datetime) -> BillingState:
        org_id = state.organization_id
        stopped: list[str] = []
        for resource_id in self._workloads.running(org_id):
            try:
                self._workloads.stop(org_id, resource_id)
                stopped.append(resource_id)
            except DomainError as exc:
                log.warning("could not stop %s of %s: %s", resource_id, org_id, exc.message)
        days = self._policy.terminate_after_seconds // 86400
        self._mail(org_id, "suspended", {"balance": format_cents(balance), "days": str(days)})
        self._record("billing.suspended", org_id, {"stopped_ids": stopped}, balance)
        self._tell(
            org_id,
            "billing.suspended",
            "Your organization is suspended for non-payment",
            f"The balance is {format_cents(balance)}, so its running workloads were stopped. Top up the "
            f"wallet to start them again; they are deleted after {days} days.",
            {"balance": format_cents(balance), "stopped": stopped, "delete_after_days": days},
        )
        return replace(state, suspended_at=now, suspended_ids=tuple(stopped))

    def _stop_latecomers(self, state: BillingState) -> BillingState:
        """What started running after the suspension (it was still being provisioned then) stops too."""
        if state.terminated_at is not None:
            return state
        stopped = list(state.suspended_ids)
        for resource_id in self._workloads.running(state.organization_id):
            if resource_id in stopped:
                continue
            try:
                self._workloads.stop(state.organization_id, resource_id)
                stopped.append(resource_id)
            except DomainError as exc:
                log.warning("could not stop %s of %s: %s", resource_id, state.organization_id, exc.message)
        return replace(state, suspended_ids=tuple(stopped))

    def _maybe_terminate(self, state: BillingState, now: datetime) -> BillingState:
        assert state.suspended_at is not None
        suspended_for = now - state.suspended_at
        terminate_after = timedelta(seconds=self._policy.terminate_after_seconds)
        notice = timedelta(seconds=self._policy.termination_notice_seconds)
        if (
            state.terminated_at is None
            and state.termination_notice_at is None
            and suspended_for >= terminate_after - notice
        ):
            when = (state.suspended_at + terminate_after).strftime("%Y-%m-%d %H:%M UTC")
            if self._mail(state.organization_id, "termination_notice", {"when": when}):
                state = replace(state, termination_notice_at=now)
                self._tell(
                    state.organization_id,
                    "billing.termination_notice",
                    "Your suspended workloads will be deleted soon",
                    f"They are deleted on {when} unless the wallet is topped up before.",
                    {"when": when},
                )
        if (
            state.terminated_at is None
            and state.termination_notice_at is not None
            and suspended_for >= terminate_after
        ):
            for resource_id in state.suspended_ids:
                try:
                    self._workloads.terminate(state.organization_id, resource_id)
                except DomainError as exc:
                    log.warning("could not terminate %s: %s", resource_id, exc.message)
            self._mail(state.organization_id, "terminated", {})
            self._record(
                "billing.terminated", state.organization_id, {"terminated_ids": list(state.suspended_ids)}
            )
            self._tell(
                state.organization_id,
                "billing.terminated",
                "Your suspended workloads were deleted",
                "They were suspended for non-payment for too long.",
                {"deleted": list(state.suspended_ids)},
            )
            state = replace(state, terminated_at=now)
        return state

    def _record(self, action: str, org_id: str, after: dict[str, object], balance: int | None = None) -> None:
        if balance is not None:
            after = {**after, "balance": format_cents(balance)}
        self.audit.record(AuditEvent(action, ACTOR, org_id, "organization", org_id, after=after))

    def _tell(self, org_id: str, kind: str, title: str, body: str, data: dict[str, object]) -> None:
        """The in-app notification and webhook event beside the mail (the notifier never raises)."""
        self._notifier.notify(
            Notice(
                organization_id=org_id, kind=kind, title=title, body=body, resource_type="wallet", data=data
            )
        )

    def _mail(self, org_id: str, template: str, values: dict[str, str]) -> bool:
        party = self._directory.organization(org_id)
        if not party.email:
            return False
        try:
            self._mailer.send(party.email, template, {"organization": party.name, **values})
        except DomainError as exc:
            log.warning("mail %s to %s failed: %s", template, org_id, exc.message)
            return False
        return True
