"""Daily reconciliation: PayPal's Transaction Search for a day against the ledger's top-ups of that day."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from chalicelib.domain.billing.entities import BillingPolicy, Reconciliation, ReconciliationFinding
from chalicelib.domain.billing.ports import BillingStates, GatewayCapture, Ledger, PaymentGateway
from chalicelib.domain.billing.service import SYSTEM, WalletService
from chalicelib.domain.shared.clock import Clock, utcnow
from chalicelib.domain.shared.errors import DomainError, NotFound
from chalicelib.domain.shared.ids import new_ulid
from chalicelib.domain.shared.mail import Mailer
from chalicelib.domain.shared.paging import Page

log = logging.getLogger(__name__)
CAPTURE_CODES = ("T0003", "T0006", "T0000", "T0001", "T0004", "T0005", "T0007", "T0011")  # payments received


class PaymentReconciler:
    """Credits captures PayPal has and the ledger lacks (once, through the same idempotent path) and reports
    ledger top-ups PayPal does not know (never changing them)."""

    def __init__(
        self,
        wallet: WalletService,
        ledger: Ledger,
        states: BillingStates,
        gateway: Callable[[], PaymentGateway],
        mailer: Mailer,
        policy: BillingPolicy,
        *,
        clock: Clock = utcnow,
    ) -> None:
        self._wallet = wallet
        self._ledger = ledger
        self._states = states
        self._gateway = gateway
        self._mailer = mailer
        self._policy = policy
        self._clock = clock

    def run(self, day: date | None = None) -> Reconciliation:
        """Reconcile `day` (default: yesterday, UTC)."""
        target = day or (self._clock() - timedelta(days=1)).date()
        start = datetime(target.year, target.month, target.day, tzinfo=UTC)
        key = target.isoformat()
        captures = [
            t
            for t in self._gateway().search_transactions(start, start + timedelta(days=1))
            if t.event_code.startswith(CAPTURE_CODES) and t.amount_cents > 0 and t.status in ("S", "P")
        ]
        topups = {e.reference: e for e in self._ledger.topups_on(key) if e.reference}
        findings: list[ReconciliationFinding] = []
        matched = 0
        for tx in captures:
            entry = topups.get(tx.transaction_id)
            if entry is not None:
                matched += 1
                if entry.amount_cents != tx.amount_cents:
                    findings.append(
                        ReconciliationFinding(
                            tx.transaction_id, entry.organization_id, tx.amount_cents, "amount_mismatch"
                        )
                    )
                continue
            if not tx.custom_id:
                findings.append(ReconciliationFinding(tx.transaction_id, None, tx.amount_cents, "not_ours"))
                continue
            capture = GatewayCapture(
                tx.transaction_id,
                "",
                "COMPLETED",
                tx.amount_cents,
                tx.currency,
                tx.custom_id,
                tx.initiated_at or start,
            )
            try:
                credited, fresh = self._wallet.credit_capture(tx.custom_id, capture, None, SYSTEM)
            except NotFound:
                findings.append(
                    ReconciliationFinding(tx.transaction_id, tx.custom_id, tx.amount_cents, "not_ours")
                )
                continue
            if fresh:
                findings.append(
                    ReconciliationFinding(tx.transaction_id, tx.custom_id, tx.amount_cents, "credited")
                )
            elif credited is not None:
                matched += 1  # credited before, under another day's index (a webhook after midnight)
        known = {t.transaction_id for t in captures}
        for capture_id, entry in topups.items():
            if capture_id not in known:
                findings.append(
                    ReconciliationFinding(
                        capture_id, entry.organization_id, entry.amount_cents, "unknown_to_paypal"
                    )
                )
        report = Reconciliation(
            new_ulid(), key, self._clock(), len(captures), len(topups), matched, tuple(findings)
        )
        self._states.add_reconciliation(report)
        self._report(report)
        return report

    def reports(self, limit: int, cursor: str | None) -> Page[Reconciliation]:
        return self._states.reconciliations(limit, cursor)

    def _report(self, report: Reconciliation) -> None:
        if not report.findings:
            return
        lines = "\n".join(
            f"- {f.action}: capture {f.capture_id}, organization {f.organization_id}, {f.amount_cents} cents"
            for f in report.findings
        )
        log.warning("reconciliation of %s: %d finding(s)\n%s", report.day, len(report.findings), lines)
        if not self._policy.report_email:
            return
        try:
            self._mailer.send(
                self._policy.report_email, "reconciliation_report", {"day": report.day, "findings": lines}
            )
        except DomainError as exc:
            log.warning("reconciliation report not mailed: %s", exc.message)
