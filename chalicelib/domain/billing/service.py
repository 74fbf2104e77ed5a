"""The wallet: balance, ledger, top-ups through PayPal, saved payment methods, manual adjustments.

Every movement of money goes through `WalletService.post`: one transaction per batch of postings, each
posting applied once per idempotency key, the balance always equal to the sum of the ledger.
"""

from __future__ import annotations

import logging
import random
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from chalicelib.domain.audit.events import wallet_adjusted
from chalicelib.domain.billing.entities import (
    BillingPolicy,
    BillingState,
    LedgerEntry,
    Payment,
    PaymentMethod,
    PaymentStatus,
    Posting,
    Wallet,
    burn_micros_per_hour,
    runway_hours,
)
from chalicelib.domain.billing.listeners import FundsListener, Nobody
from chalicelib.domain.billing.ports import (
    AlreadyPosted,
    BillingStates,
    Extras,
    GatewayCapture,
    GatewayRefund,
    Ledger,
    Meters,
    PaymentGateway,
    Payments,
    PriceOverrides,
    WalletChanged,
)
from chalicelib.domain.shared.audit import AuditTrail, NoAudit
from chalicelib.domain.shared.clock import Clock, utcnow
from chalicelib.domain.shared.errors import (
    Conflict,
    InsufficientFunds,
    NotFound,
    PaymentDeclined,
    ServiceUnavailable,
    ValidationFailed,
)
from chalicelib.domain.shared.money import format_cents
from chalicelib.domain.shared.paging import Page
from chalicelib.domain.shared.principal import Principal

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 200
PAYPAL = "paypal"
SYSTEM = "system"
REFUND_KEY = "paypal-refund:"  # + PayPal's refund id: the idempotency key of a refund's debit


@dataclass(frozen=True)
class WalletView:
    wallet: Wallet
    burn_micros_per_hour: int
    runway_hours: float | None
    state: BillingState


@dataclass(frozen=True)
class TopUp:
    """The answer to add-funds or capture: pending (approve at approval_url) or completed (credited)."""

    status: str  # pending | completed
    new_balance_cents: int
    order_id: str | None = None
    approval_url: str | None = None
    transaction_id: str | None = None


class WalletService:
    """Wallet, ledger and payments of one organization at a time.

    Raises ValidationFailed (amount limits, unknown payment method), InsufficientFunds, PaymentDeclined,
    NotFound, Conflict and ServiceUnavailable (PayPal or the wallet does not answer in time).
    """

    def __init__(
        self,
        ledger: Ledger,
        payments: Payments,
        meters: Meters,
        states: BillingStates,
        gateway: Callable[[], PaymentGateway],
        policy: BillingPolicy,
        *,
        clock: Clock = utcnow,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._ledger = ledger
        self._payments = payments
        self._meters = meters
        self._states = states
        self._gateway = gateway
        self.policy = policy
        self._clock = clock
        self._sleep = sleep
        self.listener: FundsListener = Nobody()
        self.audit: AuditTrail = NoAudit()
        self.prices: PriceOverrides | None = None

    # ------------------------------------------------------------ reads
    def view(self, p: Principal) -> WalletView:
        wallet = self._ledger.wallet(p.organization_id)
        pricing = self._states.pricing()
        if self.prices is not None:  # the organization's package may set its own prices
            pricing = self.prices.pricing_for(p.organization_id, pricing)
        burn = burn_micros_per_hour(self._meters.of_org(p.organization_id), pricing)
        state = self._states.get(p.organization_id)
        return WalletView(wallet, burn, runway_hours(wallet.balance_cents, burn), state)

    def transactions(self, p: Principal, limit: int, cursor: str | None) -> Page[LedgerEntry]:
        return self._ledger.page(p.organization_id, limit, cursor)

    # ------------------------------------------------------------ the one way money moves
    def post(
        self,
        org_id: str,
        postings: Sequence[Posting],
        *,
        allow_negative: bool = True,
        extras: Extras = Extras(),
        replay: bool = True,
    ) -> list[LedgerEntry]:
        """Apply `postings` (and `extras`) in one transaction, retrying while the wallet moves under us.

        A posting whose key was applied before changes nothing: its earlier entries are returned (or
        AlreadyPosted is raised when `replay` is False). Debits that would take the balance below zero
        raise InsufficientFunds unless `allow_negative` (usage already consumed, refunds already paid out).
        """
        total = sum(p.amount_cents for p in postings)
        keys = [p.key for p in postings]
        ambiguous = False
        for attempt in range(MAX_ATTEMPTS):
            if ambiguous:  # the last attempt may have been applied although it reported an error
                applied = self._ledger.entries_for_keys(org_id, keys)
                if applied and len(applied) == len(postings):
                    if not replay:
                        raise AlreadyPosted(keys)
                    return applied
            wallet = self._ledger.wallet(org_id)
            if not allow_negative and total < 0 and wallet.balance_cents + total < 0:
                raise InsufficientFunds(
                    f"The wallet holds {format_cents(wallet.balance_cents)} {wallet.currency}; "
                    f"that is less than {format_cents(-total)}.",
                    details={"field": "amount"},
                )
            try:
                entries = self._ledger.post(wallet, postings, self._clock(), extras)
            except AlreadyPosted:
                if not replay:
                    raise
                return self._ledger.entries_for_keys(org_id, keys)
            except WalletChanged as exc:
                ambiguous = exc.ambiguous
                self._sleep(random.uniform(0, min(0.002 * (attempt + 1), 0.05)))
                continue
            if total > 0 and entries:
                self.listener.funded(org_id, entries[-1].balance_after_cents)
            return entries
        raise ServiceUnavailable("The wallet is busy right now; retry in a moment.")

    def credit_capture(
        self, org_id: str, capture: GatewayCapture, order_id: str | None, actor: str
    ) -> tuple[LedgerEntry | None, bool]:
        """Credit a completed PayPal capture once (key paypal-capture:<id>): (entry, credited just now)."""
        if capture.currency != self.policy.currency:
            log.error(
                "capture %s in %s, wallet in %s: not credited",
                capture.capture_id,
                capture.currency,
                self.policy.currency,
            )
            return None, False
        key = f"paypal-capture:{capture.capture_id}"
        day = (capture.captured_at or self._clock()).strftime("%Y-%m-%d")
        posting = Posting(
            key=key,
            kind="topup",
            amount_cents=capture.amount_cents,
            description="Wallet top-up (PayPal)",
            created_by=actor,
            reference=capture.capture_id,
            day=day,
        )
        known_order = None
        if order_id:
            try:
                self._payments.get(org_id, order_id)
                known_order = (order_id, capture.capture_id)
            except NotFound:
                known_order = None
        try:
            [entry] = self.post(org_id, [posting], extras=Extras(captured_order=known_order), replay=False)
        except AlreadyPosted:
            found = self._ledger.entries_for_keys(org_id, [key])
            return (found[0] if found else None), False
        return entry, True

    def debit_refund(self, org_id: str, refund: GatewayRefund, actor: str) -> tuple[LedgerEntry | None, bool]:
        """Debit a PayPal refund once (key paypal-refund:<id>), even below zero (the money already left):
        (entry, debited just now). Indexed under its UTC day for the daily reconciliation."""
        key = f"{REFUND_KEY}{refund.refund_id}"
        posting = Posting(
            key=key,
            kind="refund",
            amount_cents=-abs(refund.amount_cents),
            description="Refund to PayPal",
            created_by=actor,
            reference=refund.capture_id or refund.refund_id,
            day=(refund.refunded_at or self._clock()).strftime("%Y-%m-%d"),
        )
        try:
            [entry] = self.post(org_id, [posting], allow_negative=True, replay=False)
        except AlreadyPosted:
            found = self._ledger.entries_for_keys(org_id, [key])
            return (found[0] if found else None), False
        return entry, True

    def adjust(self, admin: Principal, org_id: str, amount_cents: int, reason: str, key: str) -> LedgerEntry:
        """A manual credit (> 0) or debit (< 0) by a platform admin, naming them and the reason."""
        if amount_cents == 0:
            raise ValidationFailed("The amount must not be zero.", details={"field": "amount"})
        self._ledger.wallet(org_id)  # NotFound for an unknown organization
        posting = Posting(
            key=f"admin:{key}",
            kind="adjustment",
            amount_cents=amount_cents,
            description=f"Adjustment by an administrator: {reason}",
            created_by=admin.user_id,
            reason=reason,
        )
        period = self._clock().strftime("%Y-%m") if amount_cents < 0 else None
        [entry] = self.post(org_id, [posting], allow_negative=False, extras=Extras(invoice_period=period))
        self.audit.record(wallet_adjusted(admin, org_id, entry, reason))
        return entry

    # ------------------------------------------------------------ PayPal top-ups
    def add_funds(self, p: Principal, amount_cents: int, method: str) -> TopUp:
        """`paypal`: create an order to approve at PayPal (pending). A saved method's id: capture at once."""
        wallet = self._check_amount(p.organization_id, amount_cents)
        if method.strip().lower() == PAYPAL:
            return self._start_order(p, wallet, amount_cents)
        saved = self._saved_method(p.organization_id, method)
        capture = self._gateway().charge_vaulted(
            saved.vault_token_id,
            amount_cents,
            wallet.currency,
            p.organization_id,
            f"cs-charge-{uuid.uuid4()}",
        )
        self._record_order(p, capture.order_id, amount_cents, wallet.currency, None, "approved")
        return self._settle(p, capture)

    def capture(self, p: Principal, order_id: str) -> TopUp:
        """Capture an approved order and credit the wallet (once, however often this is called)."""
        payment = self._payments.get(p.organization_id, order_id)
        if payment.status == "captured" and payment.capture_id:
            return TopUp(
                "completed",
                self._ledger.wallet(p.organization_id).balance_cents,
                order_id=order_id,
                transaction_id=payment.capture_id,
            )
        if payment.status in ("failed", "cancelled"):
            raise Conflict(f"This PayPal order was {payment.status}; start a new top-up.")
        capture = self._gateway().capture_order(order_id, f"cs-capture-{order_id}")
        return self._settle(p, capture)

    def cancel(self, p: Principal, order_id: str) -> None:
        self._payments.get(p.organization_id, order_id)
        self._payments.set_status(p.organization_id, order_id, "cancelled", self._clock())

    def _settle(self, p: Principal, capture: GatewayCapture) -> TopUp:
        if capture.status == "DECLINED":
            self._payments.set_status(p.organization_id, capture.order_id, "failed", self._clock())
            raise PaymentDeclined("PayPal declined the payment; try another payment method.")
        if capture.status != "COMPLETED":  # PENDING: the webhook credits it once PayPal completes it
            balance = self._ledger.wallet(p.organization_id).balance_cents
            return TopUp("pending", balance, order_id=capture.order_id, transaction_id=capture.capture_id)
        self.credit_capture(p.organization_id, capture, capture.order_id, p.user_id)
        balance = self._ledger.wallet(p.organization_id).balance_cents
        return TopUp("completed", balance, order_id=capture.order_id, transaction_id=capture.capture_id)

    def _start_order(self, p: Principal, wallet: Wallet, amount_cents: int) -> TopUp:
        base = self.policy.public_url
        order = self._gateway().create_order(
            amount_cents,
            wallet.currency,
            p.organization_id,
            f"cs-order-{uuid.uuid4()}",
            f"{base}/billing?paypal=approved",
            f"{base}/billing?paypal=cancelled",
        )
        self._record_order(p, order.id, amount_cents, wallet.currency, order.approval_url, "created")
        return TopUp("pending", wallet.balance_cents, order_id=order.id, approval_url=order.approval_url)

    def _record_order(
        self, p: Principal, order_id: str, amount: int, currency: str, url: str | None, status: PaymentStatus
    ) -> None:
        self._payments.add(
            Payment(
                order_id=order_id,
                organization_id=p.organization_id,
                amount_cents=amount,
                currency=currency,
                status=status,
                created_by=p.user_id,
                created_at=self._clock(),
                approval_url=url,
            )
        )

    def _check_amount(self, org_id: str, amount_cents: int) -> Wallet:
        policy = self.policy
        if not policy.topup_min_cents <= amount_cents <= policy.topup_max_cents:
            raise ValidationFailed(
                f"Add between {format_cents(policy.topup_min_cents)} and "
                f"{format_cents(policy.topup_max_cents)} "
                f"{policy.currency} at a time.",
                details={"field": "amount"},
            )
        wallet = self._ledger.wallet(org_id)
        if wallet.balance_cents + amount_cents > policy.max_balance_cents:
            room = max(0, policy.max_balance_cents - wallet.balance_cents)
            raise ValidationFailed(
                f"The wallet may hold at most {format_cents(policy.max_balance_cents)} {policy.currency}; "
                f"you can add up to {format_cents(room)} now.",
                details={"field": "amount"},
            )
        return wallet

    def _saved_method(self, org_id: str, method_id: str) -> PaymentMethod:
        try:
            return self._payments.get_method(org_id, method_id)
        except NotFound as exc:
            raise ValidationFailed(
                "payment_method must be 'paypal' or the id of a saved payment method.",
                details={"field": "payment_method"},
            ) from exc

    def now(self) -> datetime:
        return self._clock()
