"""PayPalGateway: PayPal through the official `paypal-server-sdk` (Orders v2, Payments v2, Vault v3,
Transaction Search v1), plus Webhooks v1 verify-webhook-signature, which the SDK does not cover (plain HTTPS
with the same OAuth client credentials). The SDK is imported on first use; its base URL is this deployment's
(PayPal live, or the local sandbox stub), so the same code runs against both.

Every POST carries a PayPal-Request-Id, so the SDK's retries (and ours) are idempotent at PayPal too.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any

from chalicelib.domain.billing.ports import GatewayCapture, GatewayOrder, GatewayTransaction
from chalicelib.domain.shared.errors import Conflict, PaymentDeclined, ServiceUnavailable, ValidationFailed
from chalicelib.domain.shared.money import format_cents, to_cents

DECLINED = {"INSTRUMENT_DECLINED", "PAYER_ACTION_REQUIRED", "TRANSACTION_REFUSED", "PAYER_CANNOT_PAY"}
_SIGNATURE_HEADERS = {
    "auth_algo": "paypal-auth-algo",
    "cert_url": "paypal-cert-url",
    "transmission_id": "paypal-transmission-id",
    "transmission_sig": "paypal-transmission-sig",
    "transmission_time": "paypal-transmission-time",
}


def _time(value: object) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def _capture(order: Mapping[str, Any]) -> GatewayCapture:
    units = order.get("purchase_units") or [{}]
    captures = (units[0].get("payments") or {}).get("captures") or []
    if not captures:
        return GatewayCapture(
            "", str(order.get("id")), str(order.get("status")), 0, "", units[0].get("custom_id")
        )
    capture = captures[0]
    amount = capture.get("amount") or {}
    return GatewayCapture(
        capture_id=str(capture["id"]),
        order_id=str(order.get("id")),
        status=str(capture.get("status")),
        amount_cents=to_cents(str(amount.get("value", "0"))),
        currency=str(amount.get("currency_code", "")),
        custom_id=capture.get("custom_id") or units[0].get("custom_id"),
        captured_at=_time(capture.get("create_time")),
    )


class PayPalGateway:
    """Implements the PaymentGateway port against `base_url` with OAuth client credentials."""

    def __init__(
        self, base_url: str, client_id: str, client_secret: str, webhook_id: str, *, timeout: float = 10.0
    ) -> None:
        self._base_url = base_url.rstrip("/")
        self._client_id = client_id
        self._secret = client_secret
        self._webhook_id = webhook_id
        self._timeout = timeout
        self._sdk: Any = None
        self._token: tuple[str, float] | None = None
        self._lock = threading.Lock()

    # ------------------------------------------------------------ SDK plumbing
    def _client(self) -> Any:
        with self._lock:
            if self._sdk is None:
                from paypalserversdk.configuration import Configuration, Environment
                from paypalserversdk.http.auth.o_auth_2 import ClientCredentialsAuthCredentials
                from paypalserversdk.paypal_serversdk_client import PaypalServersdkClient

                base = self._base_url

                class _Here(Configuration):  # type: ignore[misc]  # PayPal's own base URIs are fixed per environment
                    def get_base_uri(self, server: Any = None) -> str:
                        return base

                config = _Here(
                    timeout=self._timeout,
                    max_retries=2,
                    backoff_factor=0.2,
                    retry_methods=["GET", "PUT", "POST", "DELETE"],  # every POST carries PayPal-Request-Id
                    environment=Environment.SANDBOX,
                    client_credentials_auth_credentials=ClientCredentialsAuthCredentials(
                        o_auth_client_id=self._client_id, o_auth_client_secret=self._secret
                    ),
                )
                self._sdk = PaypalServersdkClient(config=config)
            return self._sdk

    def _call(self, operation: Any, options: dict[str, Any]) -> dict[str, Any]:
        """Run one SDK call; the JSON body as a dict. Vendor errors become domain errors."""
        from paypalserversdk.exceptions.api_exception import ApiException

        try:
            response = operation(options)
        except ApiException as exc:
            raise self._error(exc) from exc
        except Exception as exc:  # transport: timeouts, refused connections
            raise ServiceUnavailable(f"PayPal did not answer ({type(exc).__name__}); retry.") from exc
        text = getattr(response, "text", "") or ""
        body: dict[str, Any] = json.loads(text) if text.strip() else {}
        return body

    @staticmethod
    def _error(exc: Any) -> Exception:
        status = int(getattr(exc, "response_code", 0) or 0)
        try:
            body = json.loads(exc.response.text) if getattr(exc, "response", None) is not None else {}
        except (ValueError, AttributeError):
            body = {}
        issues = {str(d.get("issue")) for d in body.get("details") or [] if isinstance(d, dict)}
        if issues & DECLINED:
            return PaymentDeclined("PayPal declined the payment; try another payment method.")
        if "ORDER_NOT_APPROVED" in issues:
            return Conflict("Approve the payment at PayPal first (open the approval_url).")
        if "ORDER_ALREADY_CAPTURED" in issues:
            return Conflict("ORDER_ALREADY_CAPTURED")
        if status in (400, 404, 422):
            return ValidationFailed(
                f"PayPal refused the request: {body.get('message') or body.get('name') or status}."
            )
        return ServiceUnavailable(f"PayPal answered {status or 'an error'}; retry.")

    # ------------------------------------------------------------ Orders v2
    def create_order(
        self,
        amount_cents: int,
        currency: str,
        custom_id: str,
        request_id: str,
        return_url: str,
        cancel_url: str,
    ) -> GatewayOrder:
        body = {
            "intent": "CAPTURE",
            "purchase_units": [
                {
                    "reference_id": "wallet",
                    "description": "ContainerStacks wallet top-up",
                    "custom_id": custom_id,
                    "amount": {"currency_code": currency, "value": format_cents(amount_cents)},
                }
            ],
            "payment_source": {
                "paypal": {
                    "experience_context": {
                        "brand_name": "ContainerStacks",
                        "user_action": "PAY_NOW",
                        "shipping_preference": "NO_SHIPPING",
                        "return_url": return_url,
                        "cancel_url": cancel_url,
                    }
                }
            },
        }
        order = self._call(
            self._client().orders.create_order, {"body": body, "paypal_request_id": request_id}
        )
        links = {link.get("rel"): link.get("href") for link in order.get("links") or []}
        return GatewayOrder(
            str(order["id"]), str(order.get("status")), links.get("payer-action") or links.get("approve")
        )

    def capture_order(self, order_id: str, request_id: str) -> GatewayCapture:
        try:
            order = self._call(
                self._client().orders.capture_order,
                {"id": order_id, "paypal_request_id": request_id, "prefer": "return=representation"},
            )
        except Conflict as exc:
            if exc.message != "ORDER_ALREADY_CAPTURED":
                raise
            order = self._call(self._client().orders.get_order, {"id": order_id})
        return _capture(order)

    def charge_vaulted(
        self, vault_token_id: str, amount_cents: int, currency: str, custom_id: str, request_id: str
    ) -> GatewayCapture:
        body = {
            "intent": "CAPTURE",
            "purchase_units": [
                {
                    "reference_id": "wallet",
                    "description": "ContainerStacks wallet top-up",
                    "custom_id": custom_id,
                    "amount": {"currency_code": currency, "value": format_cents(amount_cents)},
                }
            ],
            "payment_source": {"paypal": {"vault_id": vault_token_id}},
        }
        order = self._call(
            self._client().orders.create_order,
            {"body": body, "paypal_request_id": request_id, "prefer": "return=representation"},
        )
        if order.get("status") != "COMPLETED":
            return self.capture_order(str(order["id"]), f"{request_id}-capture")
        return _capture(order)

    # ------------------------------------------------------------ Vault v3
    def create_setup_token(self, request_id: str, return_url: str, cancel_url: str) -> GatewayOrder:
        body = {
            "payment_source": {
                "paypal": {
                    "usage_type": "MERCHANT",
                    "experience_context": {
                        "brand_name": "ContainerStacks",
                        "return_url": return_url,
                        "cancel_url": cancel_url,
                    },
                }
            }
        }
        token = self._call(
            self._client().vault.create_setup_token, {"body": body, "paypal_request_id": request_id}
        )
        links = {link.get("rel"): link.get("href") for link in token.get("links") or []}
        return GatewayOrder(str(token["id"]), str(token.get("status")), links.get("approve"))

    def vault_setup_token(self, setup_token_id: str, request_id: str) -> tuple[str, str]:
        body = {"payment_source": {"token": {"id": setup_token_id, "type": "SETUP_TOKEN"}}}
        token = self._call(
            self._client().vault.create_payment_token, {"body": body, "paypal_request_id": request_id}
        )
        email = str(((token.get("payment_source") or {}).get("paypal") or {}).get("email_address") or "")
        name, _, domain = email.partition("@")
        label = f"PayPal {name[:1]}***@{domain}" if domain else "PayPal"
        return str(token["id"]), label

    def delete_vault_token(self, vault_token_id: str) -> None:
        self._call(self._client().vault.delete_payment_token, {"id": vault_token_id})

    # ------------------------------------------------------------ Transaction Search v1
    def search_transactions(self, start: datetime, end: datetime) -> Iterator[GatewayTransaction]:
        page, pages = 1, 1
        while page <= pages:
            result = self._call(
                self._client().transaction_search.search_transactions,
                {
                    "start_date": start.strftime("%Y-%m-%dT%H:%M:%SZ"),
                    "end_date": end.strftime("%Y-%m-%dT%H:%M:%SZ"),
                    "fields": "transaction_info",
                    "page_size": 500,
                    "page": page,
                },
            )
            pages = int(result.get("total_pages") or 1)
            page += 1
            for detail in result.get("transaction_details") or []:
                info = detail.get("transaction_info") or {}
                amount = info.get("transaction_amount") or {}
                yield GatewayTransaction(
                    transaction_id=str(info.get("transaction_id")),
                    event_code=str(info.get("transaction_event_code") or ""),
                    amount_cents=to_cents(str(amount.get("value") or "0")),
                    currency=str(amount.get("currency_code") or ""),
                    custom_id=info.get("custom_field"),
                    status=str(info.get("transaction_status") or ""),
                    initiated_at=_time(info.get("transaction_initiation_date")),
                    reference_id=info.get("paypal_reference_id"),
                )

    # ------------------------------------------------------------ Webhooks v1
    def verify_webhook(self, headers: Mapping[str, str], event: Mapping[str, object]) -> bool:
        import requests

        lowered = {k.lower(): v for k, v in headers.items()}
        fields = {name: lowered.get(header, "") for name, header in _SIGNATURE_HEADERS.items()}
        if not all(fields.values()):
            return False
        payload = {**fields, "webhook_id": self._webhook_id, "webhook_event": event}
        try:
            response = requests.post(
                f"{self._base_url}/v1/notifications/verify-webhook-signature",
                json=payload,
                headers={"Authorization": f"Bearer {self._access_token()}"},
                timeout=self._timeout,
            )
        except requests.RequestException as exc:
            raise ServiceUnavailable("PayPal did not answer the signature check; retry.") from exc
        if response.status_code >= 500:
            raise ServiceUnavailable("PayPal could not check the signature now; retry.")
        return response.status_code == 200 and response.json().get("verification_status") == "SUCCESS"

    def _access_token(self) -> str:
        import requests

        if self._token and self._token[1] > time.monotonic():
            return self._token[0]
        try:
            response = requests.post(
                f"{self._base_url}/v1/oauth2/token",
                data={"grant_type": "client_credentials"},
                auth=(self._client_id, self._secret),
                timeout=self._timeout,
            )
            response.raise_for_status()
        except requests.RequestException as exc:
            raise ServiceUnavailable("PayPal did not issue an access token; retry.") from exc
        body = response.json()
        self._token = (str(body["access_token"]), time.monotonic() + int(body.get("expires_in", 300)) - 60)
        return self._token[0]
