"""PayPal webhooks: verified with PayPal, each event processed once (captures credit, refunds debit)."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any

from chalicelib.domain.billing.ports import GatewayCapture, GatewayRefund, PaymentGateway, Payments
from chalicelib.domain.billing.service import SYSTEM, WalletService
from chalicelib.domain.shared.clock import Clock, utcnow
from chalicelib.domain.shared.errors import NotFound, ValidationFailed
from chalicelib.domain.shared.money import to_cents

log = logging.getLogger(__name__)
EVENT_MEMORY = timedelta(days=30)
BAD_SIGNATURE = "The webhook's signature could not be verified with PayPal."


def parse_time(value: object) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def capture_of(resource: Mapping[str, Any], order_id: str | None = None) -> GatewayCapture:
    """A PayPal capture object (webhook resource or an order's purchase_units[0].payments.captures[0])."""
    amount = resource.get("amount") or {}
    related = ((resource.get("supplementary_data") or {}).get("related_ids") or {}).get("order_id")
    return GatewayCapture(
        capture_id=str(resource["id"]),
        order_id=order_id or str(related or ""),
        status=str(resource.get("status") or ""),
        amount_cents=to_cents(str(amount.get("value") or "0")),
        currency=str(amount.get("currency_code") or ""),
        custom_id=resource.get("custom_id"),
        captured_at=parse_time(resource.get("create_time")),
    )


class PayPalWebhooks:
    """Handles POST /api/webhooks/paypal. Raises ValidationFailed (400) for a body that is not a PayPal
    event or whose signature PayPal does not confirm; nothing changes then."""

    def __init__(
        self,
        wallet: WalletService,
        payments: Payments,
        gateway: Callable[[], PaymentGateway],
        *,
        clock: Clock = utcnow,
    ) -> None:
        self._wallet = wallet
        self._payments = payments
        self._gateway = gateway
        self._clock = clock

    def handle(self, headers: Mapping[str, str], body: str | bytes | None) -> str:
        """Process one delivery; returns processed | duplicate | ignored."""
        event = self._parse(body)
        if not self._gateway().verify_webhook(headers, event):
            raise ValidationFailed(BAD_SIGNATURE, details={"field": "paypal-transmission-sig"})
        event_id = str(event["id"])
        if self._payments.seen_event(event_id):
            return "duplicate"
        outcome = self._dispatch(str(event.get("event_type")), event["resource"])
        self._payments.remember_event(event_id, self._clock() + EVENT_MEMORY)
        return outcome

    def _dispatch(self, event_type: str, resource: Mapping[str, Any]) -> str:
        org_id = str(resource.get("custom_id") or "")
        if not org_id:
            return "ignored"
        try:
            if event_type == "PAYMENT.CAPTURE.COMPLETED":
                capture = capture_of(resource)
                self._wallet.credit_capture(org_id, capture, capture.order_id or None, SYSTEM)
                return "processed"
            if event_type == "PAYMENT.CAPTURE.DENIED":
                capture = capture_of(resource)
                if capture.order_id:
                    self._payments.set_status(org_id, capture.order_id, "failed", self._clock())
                return "processed"
            if event_type == "PAYMENT.CAPTURE.REFUNDED":
                self._refund(org_id, resource)
                return "processed"
        except NotFound:
            log.warning("PayPal event for unknown organization %s ignored", org_id)
        return "ignored"

    def _refund(self, org_id: str, refund: Mapping[str, Any]) -> None:
        amount = refund.get("amount") or {}
        capture_id = next(
            (
                str(link["href"]).rstrip("/").rsplit("/", 1)[-1]
                for link in refund.get("links") or []
                if link.get("rel") == "up"
            ),
            None,
        )
        created = parse_time(refund.get("create_time"))
        gateway_refund = GatewayRefund(
            str(refund["id"]), capture_id, to_cents(str(amount.get("value") or "0")), created
        )
        self._wallet.debit_refund(org_id, gateway_refund, SYSTEM)

    @staticmethod
    def _parse(body: str | bytes | None) -> dict[str, Any]:
        try:
            event = json.loads(body or b"")
        except ValueError as exc:
            raise ValidationFailed(
                "The body is not a PayPal webhook event.", details={"field": "body"}
            ) from exc
        if not isinstance(event, dict) or not isinstance(event.get("resource"), dict) or not event.get("id"):
            raise ValidationFailed("The body is not a PayPal webhook event.", details={"field": "body"})
        return event
