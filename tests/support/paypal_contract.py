"""PayPal's published OpenAPI documents (../shared/vendor/paypal/) as validators for what the stub and our
adapter exchange: every request body against the operation's requestBody schema, every response body against
the schema of the status it answered (or `default`)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

VENDOR = Path(__file__).resolve().parents[3] / "shared" / "vendor" / "paypal"
DOCUMENTS = (
    "checkout_orders_v2.json",
    "payments_payment_v2.json",
    "vault_payment_tokens_v3.json",
    "notifications_webhooks_v1.json",
    "reporting_transactions_v1.json",
)


@dataclass(frozen=True)
class Operation:
    document: str
    method: str
    template: str
    pattern: re.Pattern[str]
    spec: dict[str, Any]


@cache
def document(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((VENDOR / name).read_text())
    return loaded


@lru_cache(maxsize=1)
def operations() -> tuple[Operation, ...]:
    found: list[Operation] = []
    for name in DOCUMENTS:
        for template, item in document(name)["paths"].items():
            pattern = re.compile("^" + re.sub(r"\{[^}]+\}", "[^/]+", template) + "$")
            for method, spec in item.items():
                if method in ("get", "post", "put", "patch", "delete"):
                    found.append(Operation(name, method.upper(), template, pattern, spec))
    # literal paths first: /v3/vault/payment-tokens must not match a template with a parameter
    return tuple(sorted(found, key=lambda op: op.template.count("{")))


def operation(method: str, path: str) -> Operation:
    for op in operations():
        if op.method == method and op.pattern.match(path):
            return op
    raise AssertionError(f"{method} {path} is not an operation of PayPal's documents")


def _schema(op: Operation, content: dict[str, Any]) -> dict[str, Any] | None:
    media = content.get("application/json") or next(iter(content.values()), None)
    if not media or "schema" not in media:
        return None
    return {"allOf": [media["schema"]], "components": document(op.document)["components"]}


def schema_errors(instance: Any, schema: dict[str, Any], *, response: bool) -> list[str]:
    from openapi_schema_validator import OAS30ReadValidator, OAS30WriteValidator

    cls = OAS30ReadValidator if response else OAS30WriteValidator
    validator = cls(schema)
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(instance)]


# Where PayPal's published document lags its live API, the exception is listed here with its reason; nothing
# else is let through.
KNOWN_GAPS: dict[tuple[str, str], tuple[str, str]] = {
    ("/v3/vault/payment-tokens", "payment_source/token/type: 'SETUP_TOKEN' is not one of"): (
        "POST",
        "Vault v3 turns an approved setup token into a payment token with type SETUP_TOKEN (PayPal's vault "
        "guide); the bundled document's enum still lists BILLING_AGREEMENT only",
    ),
    ("/v1/notifications/verify-webhook-signature", "webhook_event/"): (
        "POST",
        "webhook_event is the event exactly as PayPal delivered it, so it carries the event schema's "
        "readOnly fields: that is what verify-webhook-signature asks for",
    ),
}


def _known_gap(method: str, template: str, error: str) -> bool:
    return any(
        template == path and error.startswith(prefix) and method == gap[0]
        for (path, prefix), gap in KNOWN_GAPS.items()
    )


def request_errors(method: str, path: str, body: Any) -> list[str]:
    op = operation(method, path)
    content = (op.spec.get("requestBody") or {}).get("content") or {}
    schema = _schema(op, content)
    if schema is None:
        return [] if not body else [f"{method} {path} takes no body"]
    errors = schema_errors(body, schema, response=False)
    return [e for e in errors if not _known_gap(method, op.template, e)]


def response_errors(method: str, path: str, status: int, body: Any) -> list[str]:
    op = operation(method, path)
    responses = op.spec.get("responses") or {}
    declared = responses.get(str(status)) or responses.get("default")
    if declared is None:
        return [f"{method} {path} does not document status {status}"]
    schema = _schema(op, declared.get("content") or {})
    if schema is None:
        return [] if body in (None, b"", "") else [f"{method} {path} {status} documents no body"]
    return schema_errors(body, schema, response=True)


def component_errors(document_name: str, component: str, instance: Any) -> list[str]:
    schema = {
        "allOf": [{"$ref": f"#/components/schemas/{component}"}],
        "components": document(document_name)["components"],
    }
    return schema_errors(instance, schema, response=True)
