"""OpenAPI 3.1 document, generated from the routes' own request/response models."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from chalice.app import Blueprint
from pydantic import BaseModel
from pydantic.json_schema import JsonSchemaMode, models_json_schema

from chalicelib.api.http import ORG_HEADER, ROUTES, Call, RouteSpec, endpoint
from chalicelib.api.idempotency import HEADER as IDEMPOTENCY_HEADER
from chalicelib.api.idempotency import KEY_PATTERN as IDEMPOTENCY_KEY_PATTERN
from chalicelib.api.wire import ErrorOut
from chalicelib.domain.shared.roles import ANY_MEMBER, ordered

bp = Blueprint(__name__)

_REASONS = {
    200: "OK",
    201: "Created",
    202: "Accepted: work continues in the background; poll the record",
    204: "No content",
    400: "The request is invalid; details name the field",
    401: "Missing, invalid, expired or revoked token",
    402: "Payment required: the organization is suspended for non-payment, the wallet does not cover it, "
    "or the payment was declined",
    403: "Not allowed",
    404: "Not found (also for another organization's resources)",
    409: "Conflicts with the current state (or the same Idempotency-Key is still being processed)",
    413: "The request body is too large",
    415: "The request body must be application/json",
    422: "The Idempotency-Key was used before with a different request",
    429: "Too many attempts; see Retry-After",
    503: "A dependency did not answer; retry later",
}


def _schemas() -> tuple[dict[tuple[type[BaseModel], JsonSchemaMode], Any], dict[str, Any]]:
    wanted: set[tuple[type[BaseModel], JsonSchemaMode]] = {(ErrorOut, "serialization")}
    for spec in ROUTES:
        if spec.request:
            wanted.add((spec.request, "validation"))
        if spec.response:
            wanted.add((spec.response, "serialization"))
    ordered = sorted(wanted, key=lambda pair: (pair[0].__name__, pair[1]))
    refs, defs = models_json_schema(ordered, ref_template="#/components/schemas/{model}")
    return dict(refs), dict(defs.get("$defs", {}))  # type: ignore[arg-type]


def _parameters(spec: RouteSpec) -> list[dict[str, Any]]:
    params: list[dict[str, Any]] = [
        {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
        for name in re.findall(r"{(\w+)}", spec.path)
    ]
    if spec.query:
        schema = spec.query.model_json_schema()
        required = set(schema.get("required", []))
        for name, prop in schema.get("properties", {}).items():
            params.append({"name": name, "in": "query", "required": name in required, "schema": prop})
    if spec.idempotent:
        params.append(
            {
                "name": IDEMPOTENCY_HEADER,
                "in": "header",
                "required": False,
                "description": "Retry-safe: the first response to this key is replayed for 24 h; "
                "the same key with a different body is 422",
                "schema": {"type": "string", "pattern": IDEMPOTENCY_KEY_PATTERN},
            }
        )
    if spec.auth == "org":
        params.append(
            {
                "name": ORG_HEADER,
                "in": "header",
                "required": False,
                "description": "Organization to act in (default: the caller's own)",
                "schema": {"type": "string"},
            }
        )
    return params


def _operation(spec: RouteSpec, refs: dict[tuple[type[BaseModel], JsonSchemaMode], Any]) -> dict[str, Any]:
    error_ref = refs[(ErrorOut, "serialization")]
    responses: dict[str, Any] = {}
    if spec.response is not None and spec.status != 204:
        responses[str(spec.status)] = {
            "description": _REASONS.get(spec.status, "OK"),
            "content": {"application/json": {"schema": refs[(spec.response, "serialization")]}},
        }
    else:
        responses[str(spec.status)] = {"description": _REASONS.get(spec.status, "OK")}
    for status in (*spec.errors, 500):
        responses[str(status)] = {
            "description": _REASONS.get(status, "Unexpected error"),
            "content": {"application/json": {"schema": error_ref}},
        }
    op: dict[str, Any] = {
        "operationId": spec.operation_id,
        "summary": spec.summary,
        "tags": [spec.tag],
        "parameters": _parameters(spec),
        "responses": responses,
        "security": [] if spec.auth == "none" else [{"bearerAuth": []}],
    }
    if spec.roles:
        op["x-roles"] = ordered(spec.roles)
        who = "any member" if spec.roles == ANY_MEMBER else ", ".join(ordered(spec.roles))
        op["description"] = f"Organization roles allowed: {who} (others get 403 naming the roles needed)."
    if spec.request is not None:
        op["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": refs[(spec.request, "validation")]}},
        }
    return op


@lru_cache(maxsize=1)
def document() -> dict[str, Any]:
    refs, defs = _schemas()
    paths: dict[str, dict[str, Any]] = {}
    for spec in ROUTES:
        paths.setdefault(spec.path, {})[spec.method.lower()] = _operation(spec, refs)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "ContainerStacks API",
            "version": "0.1.0",
            "description": "Control plane for containers, VPS, billing and support. All errors share one "
            'shape: {"error": {"code", "message", "details"}}.',
        },
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {
            "schemas": defs,
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}},
        },
    }


@endpoint(bp, "/api/openapi.json", "GET", summary="This API's OpenAPI 3.1 document", tag="meta", auth="none")
def openapi(call: Call) -> dict[str, Any]:
    return document()
