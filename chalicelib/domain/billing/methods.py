"""Saved payment methods: PayPal accounts kept in PayPal's vault for one-step top-ups."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable

from chalicelib.domain.audit.events import deleted
from chalicelib.domain.billing.entities import BillingPolicy, Payment, PaymentMethod
from chalicelib.domain.billing.ports import GatewayOrder, PaymentGateway, Payments
from chalicelib.domain.shared.audit import AuditTrail, NoAudit
from chalicelib.domain.shared.clock import Clock, utcnow
from chalicelib.domain.shared.errors import NotFound, ServiceUnavailable, ValidationFailed
from chalicelib.domain.shared.principal import Principal

log = logging.getLogger(__name__)
PAYPAL = "paypal"


class SavedMethods:
    """Start, save, list and forget saved PayPal accounts. Raises ValidationFailed (field `setup_token`),
    NotFound and ServiceUnavailable."""

    def __init__(
        self,
        payments: Payments,
        gateway: Callable[[], PaymentGateway],
        policy: BillingPolicy,
        *,
        clock: Clock = utcnow,
    ) -> None:
        self._payments = payments
        self._gateway = gateway
        self._policy = policy
        self._clock = clock
        self.audit: AuditTrail = NoAudit()

    def start(self, p: Principal) -> GatewayOrder:
        """Start saving a PayPal account: PayPal's approval URL; the payer comes back to
        /billing?paypal=vaulted&token=<setup token>, and the page then saves it (`save`)."""
        base = self._policy.public_url
        setup = self._gateway().create_setup_token(
            f"cs-setup-{uuid.uuid4()}", f"{base}/billing?paypal=vaulted", f"{base}/billing?paypal=cancelled"
        )
        self._payments.add(
            Payment(
                order_id=setup.id,
                organization_id=p.organization_id,
                amount_cents=0,
                currency=self._policy.currency,
                status="vault_setup",
                created_by=p.user_id,
                created_at=self._clock(),
                approval_url=setup.approval_url,
            )
        )
        return setup

    def save(self, p: Principal, setup_token_id: str) -> PaymentMethod:
        """Save the PayPal account of a setup token this organization started and the payer approved:
        another organization's or an unknown token is refused, naming `setup_token`."""
        try:
            started: Payment | None = self._payments.get(p.organization_id, setup_token_id)
        except NotFound:
            started = None
        if started is None or started.status != "vault_setup":
            raise ValidationFailed(
                "Start saving a PayPal account from this organization first (POST "
                "/api/billing/payment-methods/setup), then send its setup token.",
                details={"field": "setup_token"},
            )
        try:
            token_id, label = self._gateway().vault_setup_token(setup_token_id, f"cs-vault-{setup_token_id}")
        except ValidationFailed as exc:
            raise ValidationFailed(
                "PayPal does not accept this setup token: it is expired or not approved by the payer yet.",
                details={"field": "setup_token"},
            ) from exc
        method = PaymentMethod(
            id=str(uuid.uuid4()),
            organization_id=p.organization_id,
            provider=PAYPAL,
            vault_token_id=token_id,
            label=label,
            created_by=p.user_id,
            created_at=self._clock(),
        )
        self._payments.add_method(method)
        self._payments.set_status(p.organization_id, setup_token_id, "vaulted", self._clock())
        return method

    def list(self, p: Principal) -> list[PaymentMethod]:
        return self._payments.methods(p.organization_id)

    def remove(self, p: Principal, method_id: str) -> None:
        method = self._payments.get_method(p.organization_id, method_id)
        try:
            self._gateway().delete_vault_token(method.vault_token_id)
        except ServiceUnavailable:
            log.warning("vault token of payment method %s not deleted at PayPal", method_id)
        self._payments.remove_method(p.organization_id, method_id)
        self.audit.record(deleted(p, "payment_method", method_id, label=method.label))
