"""Daily reconciliation: PayPal's Transaction Search for a day against the ledger's top-ups of that day."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from chalicelib.domain.billing.entities import (
    BillingPolicy,
    LedgerEntry,
    Reconciliation,
    ReconciliationFinding,
)
from chalicelib.domain.billing.ports import (
    BillingStates,
    GatewayCapture,
    GatewayRefund,
    GatewayTransaction,
    Ledger,
    PaymentGateway,
)
from chalicelib.domain.billing.service import REFUND_KEY, SYSTEM, WalletService
from chalicelib.domain.shared.clock import Clock, utcnow
from chalicelib.domain.shared.errors import DomainError, NotFound
from chalicelib.domain.shared.ids import new_ulid
from chalicelib.domain.shared.mail import Mailer
from chalicelib.domain.shared.paging import Page

log = logging.getLogger(__name__)
CAPTURE_CODES = ("T0003", "T0006", "T0000", "T0001", "T0004", "T0005", "T0007", "T0011")  # payments received
REFUND_CODES = ("T1107", "T1106")  # a merchant's refund, a reversal (PayPal's transaction event codes)


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
        """Reconcile `day` (default: yesterday, UTC): its captures and its refunds."""
        target = day or (self._clock() - timedelta(days=1)).date()
        start = datetime(target.year, target.month, target.day, tzinfo=UTC)
        key = target.isoformat()
        found = list(self._gateway().search_transactions(start, start + timedelta(days=1)))
        captures = [
            t
            for t in found
            if t.event_code.startswith(CAPTURE_CODES) and t.amount_cents > 0 and t.status in ("S", "P")
        ]
        refunds = [t for t in found if t.event_code.startswith(REFUND_CODES) and t.status in ("S", "P")]
        movements = self._ledger.topups_on(key)
        topups = {e.reference: e for e in movements if e.kind == "topup" and e.reference}
        ledger_refunds = {
            e.idempotency_key.removeprefix(REFUND_KEY): e for e in movements if e.kind == "refund"
        }
        findings: list[ReconciliationFinding] = []
        matched = sum(self._capture(tx, topups.get(tx.transaction_id), start, findings) for tx in captures)
        matched += sum(self._refund(tx, ledger_refunds.get(tx.transaction_id), findings) for tx in refunds)
        known = {t.transaction_id for t in captures}
        for capture_id, entry in topups.items():
            if capture_id not in known:
                findings.append(
                    ReconciliationFinding(
                        capture_id, entry.organization_id, entry.amount_cents, "unknown_to_paypal"
                    )
                )
        known_refunds = {t.transaction_id for t in refunds}
        for refund_id, entry in ledger_refunds.items():
            if refund_id not in known_refunds:
                findings.append(
                    ReconciliationFinding(
                        refund_id, entry.organization_id, entry.amount_cents, "unknown_to_paypal", "refund"
                    )
                )
        report = Reconciliation(
            new_ulid(),
            key,
            self._clock(),
            len(captures),
            len(topups),
            matched,
            tuple(findings),
            paypal_refunds=len(refunds),
            ledger_refunds=len(ledger_refunds),
        )
        self._states.add_reconciliation(report)
        self._report(report)
        return report

    def _capture(
        self,
        tx: GatewayTransaction,
        entry: LedgerEntry | None,
        day_start: datetime,
        findings: list[ReconciliationFinding],
    ) -> bool:
        """One capture PayPal reports: matched (True), or credited now / reported (a finding)."""
        if entry is not None:
            if entry.amount_cents != tx.amount_cents:
                findings.append(
                    ReconciliationFinding(
                        tx.transaction_id, entry.organization_id, tx.amount_cents, "amount_mismatch"
                    )
                )
            return True
        if not tx.custom_id:
            findings.append(ReconciliationFinding(tx.transaction_id, None, tx.amount_cents, "not_ours"))
            return False
        capture = GatewayCapture(
            tx.transaction_id,
            "",
            "COMPLETED",
            tx.amount_cents,
            tx.currency,
            tx.custom_id,
            tx.initiated_at or day_start,
        )
        try:
            credited, fresh = self._wallet.credit_capture(tx.custom_id, capture, None, SYSTEM)
        except NotFound:
            findings.append(
                ReconciliationFinding(tx.transaction_id, tx.custom_id, tx.amount_cents, "not_ours")
            )
            return False
        if fresh:
            findings.append(
                ReconciliationFinding(tx.transaction_id, tx.custom_id, tx.amount_cents, "credited")
            )
            return False
        return credited is not None  # credited before, under another day's index (a webhook after midnight)

    def _refund(
        self, tx: GatewayTransaction, entry: LedgerEntry | None, findings: list[ReconciliationFinding]
    ) -> bool:
        """One refund PayPal reports: matched (True), or debited now (the webhook was lost) / reported."""
        amount = -abs(tx.amount_cents)
        if entry is not None:
            if entry.amount_cents != amount:
                findings.append(
                    ReconciliationFinding(
                        tx.transaction_id, entry.organization_id, amount, "amount_mismatch", "refund"
                    )
                )
            return True
        if not tx.custom_id:
            findings.append(ReconciliationFinding(tx.transaction_id, None, amount, "not_ours", "refund"))
            return False
        refund = GatewayRefund(tx.transaction_id, tx.reference_id, abs(tx.amount_cents), tx.initiated_at)
        try:
            debited, fresh = self._wallet.debit_refund(tx.custom_id, refund, SYSTEM)
        except NotFound:
            findings.append(
                ReconciliationFinding(tx.transaction_id, tx.custom_id, amount, "not_ours", "refund")
            )
            return False
        if fresh:
            findings.append(
                ReconciliationFinding(tx.transaction_id, tx.custom_id, amount, "debited", "refund")
            )
            return False
        return debited is not None

    def reports(self, limit: int, cursor: str | None) -> Page[Reconciliation]:
        return self._states.reconciliations(limit, cursor)

    def _report(self, report: Reconciliation) -> None:
        if not report.findings:
            return
        lines = "\n".join(
            f"- {f.action}: {f.kind} {f.capture_id}, organization {f.organization_id}, {f.amount_cents} cents"
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
