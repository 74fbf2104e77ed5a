"""PaymentRepository: PayPal orders (ORG#o / PAYMENT#<order>), saved payment methods, webhook events seen."""

from __future__ import annotations

from datetime import datetime
from typing import cast

from pynamodb.exceptions import DeleteError, DoesNotExist, PutError, UpdateError

from chalicelib.domain.billing.entities import Payment, PaymentMethod, PaymentStatus
from chalicelib.domain.shared.errors import Conflict, NotFound
from chalicelib.store import keys
from chalicelib.store.billing import keys as bkeys
from chalicelib.store.billing.models import PaymentItem, PaymentMethodItem
from chalicelib.store.table import EphemeralItem, Item, is_condition_failure


def _payment(item: PaymentItem) -> Payment:
    return Payment(
        order_id=item.order_id,
        organization_id=item.organization_id,
        amount_cents=int(item.amount_cents),
        currency=item.currency,
        status=cast(PaymentStatus, item.status),
        created_by=item.created_by,
        created_at=item.created_at,
        approval_url=item.approval_url,
        capture_id=item.capture_id,
    )


def _method(item: PaymentMethodItem) -> PaymentMethod:
    return PaymentMethod(
        id=item.id,
        organization_id=item.organization_id,
        provider=item.provider,
        vault_token_id=item.vault_token_id,
        label=item.label,
        created_by=item.created_by,
        created_at=item.created_at,
    )


class PaymentRepository:
    def add(self, payment: Payment) -> None:
        item = PaymentItem(
            keys.org_pk(payment.organization_id),
            bkeys.payment_sk(payment.order_id),
            order_id=payment.order_id,
            organization_id=payment.organization_id,
            amount_cents=payment.amount_cents,
            currency=payment.currency,
            status=payment.status,
            created_by=payment.created_by,
            approval_url=payment.approval_url,
            capture_id=payment.capture_id,
            created_at=payment.created_at,
            updated_at=payment.created_at,
        )
        try:
            item.save(condition=Item.pk.does_not_exist())
        except PutError as exc:
            if is_condition_failure(exc):
                raise Conflict("This PayPal order is already recorded.") from exc
            raise

    def get(self, org_id: str, order_id: str) -> Payment:
        try:
            item = PaymentItem.get(keys.org_pk(org_id), bkeys.payment_sk(order_id), consistent_read=True)
        except (DoesNotExist, ValueError) as exc:
            raise NotFound(f"Payment {order_id} was not found.") from exc
        if not isinstance(item, PaymentItem):
            raise NotFound(f"Payment {order_id} was not found.")
        return _payment(item)

    def set_status(self, org_id: str, order_id: str, status: str, now: datetime) -> None:
        try:
            PaymentItem(keys.org_pk(org_id), bkeys.payment_sk(order_id)).update(
                actions=[PaymentItem.status.set(status), PaymentItem.updated_at.set(now)],
                condition=PaymentItem.pk.exists() & (PaymentItem.status != "captured"),
            )
        except UpdateError as exc:
            if not is_condition_failure(exc):
                raise

    def add_method(self, method: PaymentMethod) -> None:
        PaymentMethodItem(
            keys.org_pk(method.organization_id),
            bkeys.payment_method_sk(method.id),
            id=method.id,
            organization_id=method.organization_id,
            provider=method.provider,
            vault_token_id=method.vault_token_id,
            label=method.label,
            created_by=method.created_by,
            created_at=method.created_at,
            updated_at=method.created_at,
        ).save(condition=Item.pk.does_not_exist())

    def methods(self, org_id: str) -> list[PaymentMethod]:
        return [
            _method(item)
            for item in PaymentMethodItem.query(
                keys.org_pk(org_id), PaymentMethodItem.sk.startswith(bkeys.PAYMENT_METHOD_PREFIX)
            )
            if isinstance(item, PaymentMethodItem)
        ]

    def get_method(self, org_id: str, method_id: str) -> PaymentMethod:
        try:
            item = PaymentMethodItem.get(keys.org_pk(org_id), bkeys.payment_method_sk(method_id))
        except (DoesNotExist, ValueError) as exc:
            raise NotFound(f"Payment method {method_id} was not found.") from exc
        return _method(item)

    def remove_method(self, org_id: str, method_id: str) -> None:
        try:
            PaymentMethodItem(keys.org_pk(org_id), bkeys.payment_method_sk(method_id)).delete(
                condition=PaymentMethodItem.pk.exists()
            )
        except DeleteError as exc:
            if is_condition_failure(exc):
                raise NotFound(f"Payment method {method_id} was not found.") from exc
            raise

    def seen_event(self, event_id: str) -> bool:
        try:
            EphemeralItem.get(bkeys.paypal_event_pk(event_id), keys.EPHEMERAL_SK, consistent_read=True)
        except DoesNotExist:
            return False
        return True

    def remember_event(self, event_id: str, expires: datetime) -> None:
        EphemeralItem(bkeys.paypal_event_pk(event_id), keys.EPHEMERAL_SK, expires=expires).save()
