"""Webhook signatures of the PayPal sandbox stub (RSA, SHA256withRSA, over PayPal's transmission string
`<transmission id>|<time>|<webhook id>|<crc32 of the body>`, checked by verify-webhook-signature) and its
Transaction Search report."""

from __future__ import annotations

import base64
import json
import uuid
import zlib
from datetime import UTC, datetime
from typing import Any

PAYER_ID = "SANDBXPAYERQQ"  # PayPal account ids are 13 of [2-9A-HJ-NP-Z]


def canonical(event: dict[str, Any]) -> bytes:
    """The bytes signed and delivered (verify-webhook-signature re-serializes the event the same way)."""
    return json.dumps(event, sort_keys=True, separators=(",", ":")).encode()


class WebhookSigner:
    """Holds the stub's RSA key (new per start: signatures are good for this stub's lifetime)."""

    def __init__(self) -> None:
        from cryptography.hazmat.primitives.asymmetric import rsa

        self._key = rsa.generate_private_key(public_exponent=65537, key_size=2048)

    def sign(self, body: bytes, webhook_id: str, base_url: str) -> dict[str, str]:
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import padding

        transmission_id = str(uuid.uuid4())
        when = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        message = f"{transmission_id}|{when}|{webhook_id}|{zlib.crc32(body)}".encode()
        signature = self._key.sign(message, padding.PKCS1v15(), hashes.SHA256())
        return {
            "Content-Type": "application/json",
            "PAYPAL-TRANSMISSION-ID": transmission_id,
            "PAYPAL-TRANSMISSION-TIME": when,
            "PAYPAL-TRANSMISSION-SIG": base64.b64encode(signature).decode(),
            "PAYPAL-CERT-URL": f"{base_url}/v1/notifications/certs/CERT-SANDBOX",
            "PAYPAL-AUTH-ALGO": "SHA256withRSA",
        }

    def verify(self, body: dict[str, Any], webhook_id: str) -> dict[str, str]:
        """verify-webhook-signature: SUCCESS only for this stub's signature over this event and webhook id."""
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import padding

        parts = [
            str(body.get("transmission_id")),
            str(body.get("transmission_time")),
            str(body.get("webhook_id")),
            str(zlib.crc32(canonical(body.get("webhook_event") or {}))),
        ]
        try:
            signature = base64.b64decode(str(body.get("transmission_sig")), validate=True)
            self._key.public_key().verify(
                signature, "|".join(parts).encode(), padding.PKCS1v15(), hashes.SHA256()
            )
        except (InvalidSignature, ValueError):
            return {"verification_status": "FAILURE"}
        ok = body.get("webhook_id") == webhook_id
        return {"verification_status": "SUCCESS" if ok else "FAILURE"}

    def public_key_pem(self) -> bytes:
        from cryptography.hazmat.primitives import serialization

        return self._key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )


def transaction_search(
    captures: list[dict[str, Any]],
    start: str,
    end: str,
    now: str,
    refunds: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """GET /v1/reporting/transactions: the captures (T0006) and refunds (T1107, a negative amount that names
    its capture in paypal_reference_id) created in [start, end) (one page)."""
    details = []
    for capture in captures:
        if not start <= capture["create_time"] < end:
            continue
        details.append(
            {
                "transaction_info": {
                    "paypal_account_id": PAYER_ID,
                    "transaction_id": capture["id"],
                    "transaction_event_code": "T0006",
                    "transaction_initiation_date": capture["create_time"],
                    "transaction_updated_date": capture["update_time"],
                    "transaction_amount": capture["amount"],
                    "transaction_status": "S",
                    "custom_field": capture.get("custom_id"),
                }
            }
        )
    for refund in refunds or []:
        if not start <= refund["create_time"] < end:
            continue
        up = next((link["href"] for link in refund["links"] if link["rel"] == "up"), "")
        details.append(
            {
                "transaction_info": {
                    "paypal_account_id": PAYER_ID,
                    "transaction_id": refund["id"],
                    "paypal_reference_id": up.rsplit("/", 1)[-1],
                    "paypal_reference_id_type": "TXN",
                    "transaction_event_code": "T1107",
                    "transaction_initiation_date": refund["create_time"],
                    "transaction_updated_date": refund["update_time"],
                    "transaction_amount": {
                        "currency_code": refund["amount"]["currency_code"],
                        "value": f"-{refund['amount']['value']}",
                    },
                    "transaction_status": "S",
                    "custom_field": refund.get("custom_id"),
                }
            }
        )
    result: dict[str, Any] = {
        "account_number": "SANDBOXMERCHANT",
        "start_date": start,
        "end_date": end,
        "last_refreshed_datetime": now,
        "page": 1,
        "total_items": len(details),
        "total_pages": 1,
    }
    if details:
        result["transaction_details"] = details
    return result
