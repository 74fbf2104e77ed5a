"""The HTTP edge: one decorator that registers a route, authenticates, parses, maps errors.

Every route is declared through `endpoint`, so the OpenAPI document (api/openapi.py) is built
from exactly what the routes use.
"""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from typing import Any, Literal

from chalice.app import Blueprint, Response
from pydantic import BaseModel, ValidationError

from chalicelib.domain.shared.audit import REQUEST_ORIGIN
from chalicelib.domain.shared.errors import (
    AuthenticationFailed,
    DomainError,
    PayloadTooLarge,
    PermissionDenied,
    RateLimited,
    ValidationFailed,
)
from chalicelib.domain.shared.principal import ANONYMOUS, Principal
from chalicelib.domain.shared.roles import ANY_MEMBER, OPERATE, Roles, require_role
from chalicelib.domain.shared.tenancy import tenant_scope

log = logging.getLogger("containerstacks.api")

Auth = Literal["none", "user", "org", "admin"]
ORG_HEADER = "X-Organization-Id"
JSON = "application/json"


@dataclass(frozen=True)
class RouteSpec:
    operation_id: str
    path: str
    method: str
    summary: str
    tag: str
    auth: Auth
    status: int
    request: type[BaseModel] | None
    query: type[BaseModel] | None
    response: type[BaseModel] | None
    errors: tuple[int, ...]
    idempotent: bool = False
    roles: Roles = frozenset()  # organization roles allowed (auth "org" only; empty otherwise)


ROUTES: list[RouteSpec] = []


@dataclass
class Call:
    """What a route handler receives: who is asking, from where, and what they sent (validated).

    `client_address` is the caller's IP as API Gateway saw it (`requestContext.identity.sourceIp`), never
    a header the client could set (X-Forwarded-For).
    """

    principal: Principal
    body: Any = None
    query: Any = None
    client_address: str = ""


def client_address(context: Mapping[str, Any] | None) -> str:
    """The source IP from a request's context ("" when the gateway gave none)."""
    identity = (context or {}).get("identity") or {}
    return str(identity.get("sourceIp") or "")


def error_response(error: DomainError) -> Response:
    """The one error shape. A field named by the service becomes `details: [{"field", "message"}]`, the
    same list a request model's validation gives, so clients read field errors one way."""
    body: dict[str, Any] = {"code": error.code, "message": error.message}
    details = error.details
    if isinstance(details, dict) and "field" in details:
        details = [{**details, "message": error.message}]
    if details is not None:
        body["details"] = details
    headers: dict[str, str | list[str]] = {"Content-Type": JSON}
    if isinstance(error, RateLimited):
        headers["Retry-After"] = str(error.retry_after)
    if isinstance(error, AuthenticationFailed):
        headers["WWW-Authenticate"] = 'Bearer realm="containerstacks"'
    return Response(body=json.dumps({"error": body}), status_code=error.status, headers=headers)


_UNION_TAGS = ("constrained-", "function-", "json-or-python", "lax-", "nullable")
_TYPE_TAGS = frozenset({"str", "int", "float", "bool", "none", "list", "dict", "tuple", "bytes"})


def _field_path(loc: tuple[int | str, ...]) -> str:
    """A dotted field path without pydantic's union and validator tags; a bad dict key names the dict."""
    parts: list[str] = []
    for part in loc:
        text = str(part)
        if text == "[key]":
            parts = parts[:-1]
            break
        if text.startswith(_UNION_TAGS) or text in _TYPE_TAGS:
            continue
        parts.append(text)
    return ".".join(parts)


def _validation_error(exc: ValidationError, prefix: str = "") -> ValidationFailed:
    problems: list[dict[str, str]] = []
    seen: set[str] = set()
    for item in exc.errors(include_url=False, include_input=False):
        loc = _field_path(tuple(item["loc"]))
        field = f"{prefix}{loc}" if loc else prefix.rstrip(".") or "body"
        if field in seen:  # a union reports once per member; the first says enough
            continue
        seen.add(field)
        message = str(item["msg"]).removeprefix("Value error, ")
        if item["type"] == "extra_forbidden":
            message = "is not a known field"
        elif item["type"] == "string_pattern_mismatch":
            message = "does not have the expected format (see the API document)"
        problems.append({"field": field, "message": message})
    first = problems[0]
    return ValidationFailed(f"{first['field']}: {first['message']}", details=problems)


def parse_body(model: type[BaseModel], raw: str | bytes | None) -> BaseModel:
    if not raw or not raw.strip():
        raise ValidationFailed(
            "A JSON request body is required.", details=[{"field": "body", "message": "missing"}]
        )
    try:
        return model.model_validate_json(raw)
    except ValidationError as exc:
        if any(e["type"] == "json_invalid" for e in exc.errors()):
            raise ValidationFailed(
                "The request body is not valid JSON.", details=[{"field": "body", "message": "invalid JSON"}]
            ) from exc
        raise _validation_error(exc) from exc


def parse_query(model: type[BaseModel], params: Mapping[str, str] | None) -> BaseModel:
    try:
        return model.model_validate(dict(params or {}))
    except ValidationError as exc:
        raise _validation_error(exc) from exc


def bearer_token(headers: Any) -> str:
    value = headers.get("authorization") or ""
    scheme, _, token = value.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthenticationFailed("Log in first: send 'Authorization: Bearer <token>'.")
    return token.strip()


def _authenticate(auth: Auth, headers: Any, roles: Roles) -> Principal:
    """Who is asking, checked before the handler runs: token, revocation, membership and its role, admin
    role."""
    from chalicelib.wiring.accounts import get_accounts

    if auth == "none":
        return ANONYMOUS
    principal = get_accounts().authenticate(
        bearer_token(headers), headers.get(ORG_HEADER.lower()), needs_org=auth == "org"
    )
    if auth == "admin" and not principal.is_admin:
        raise PermissionDenied("Only platform administrators may do this.")
    if auth == "org":
        require_role(principal.organization_role, roles)
    if principal.organization_id:
        from chalicelib.observability import logger

        logger.thread_safe_append_keys(organization_id=principal.organization_id)
    return principal


def _tenant(principal: Principal) -> AbstractContextManager[object]:
    """The scope of the organization the request acts in (its data only, enforced by IAM in AWS)."""
    return tenant_scope(principal.organization_id) if principal.organization_id else nullcontext()


def _check_size(raw: str | bytes | None) -> None:
    from chalicelib.wiring import settings

    limit = settings().max_body_bytes
    if raw is not None and len(raw) > limit:
        raise PayloadTooLarge(
            f"The request body is larger than {limit // 1024} KiB.", details={"field": "body", "limit": limit}
        )


def _respond(status: int, result: Any) -> Response:
    if isinstance(result, Response):
        return result
    if status == 204 or result is None:
        return Response(body="", status_code=204, headers={})
    body = result.model_dump_json() if isinstance(result, BaseModel) else json.dumps(result)
    return Response(body=body, status_code=status, headers={"Content-Type": JSON})


def endpoint(
    bp: Blueprint,
    path: str,
    method: str,
    *,
    summary: str,
    tag: str,
    auth: Auth = "org",
    status: int = 200,
    request: type[BaseModel] | None = None,
    query: type[BaseModel] | None = None,
    response: type[BaseModel] | None = None,
    errors: tuple[int, ...] = (),
    idempotent: bool = False,
    roles: Roles | None = None,
) -> Callable[[Callable[..., Any]], Callable[..., Response]]:
    """Register a route; the handler is called as handler(call, **path_params).

    `auth`: "none", "user" (any valid token), "org" (and membership of the organization acted in),
    "admin" (and the platform admin role, checked here before the handler runs).
    `roles` (auth "org" only): the organization roles that may call it, checked here from the membership the
    authentication read anyway (403 naming them otherwise). Default: any member for GET, OPERATE (owner,
    admin, developer) for everything else.
    `idempotent`: the route takes an Idempotency-Key header (creates something or moves money).
    """
    if roles is not None and auth != "org":
        raise ValueError(f"{method} {path}: roles apply to auth='org' routes only")
    allowed: Roles = frozenset()
    if auth == "org":
        allowed = roles if roles is not None else (ANY_MEMBER if method == "GET" else OPERATE)
    auth_errors = () if auth == "none" else ((401, 403) if auth in ("org", "admin") else (401,))
    body_errors = {413, 415} if request else set()
    key_errors = {409, 422} if idempotent else set()
    all_errors = tuple(
        sorted(
            set(errors)
            | set(auth_errors)
            | body_errors
            | key_errors
            | ({400} if request or query or idempotent else set())
        )
    )

    def wrap(handler: Callable[..., Any]) -> Callable[..., Response]:
        ROUTES.append(
            RouteSpec(
                handler.__name__,
                path,
                method,
                summary,
                tag,
                auth,
                status,
                request,
                query,
                response,
                all_errors,
                idempotent,
                allowed,
            )
        )

        @functools.wraps(handler)
        def view(**params: str) -> Response:
            current = bp.current_request
            # Where the request came from, for the audit trail (sign-in attempts included).
            origin = REQUEST_ORIGIN.set(client_address(current.context) or None)
            try:
                principal = _authenticate(auth, current.headers, allowed)
                with _tenant(principal):
                    raw = current.raw_body if request else None
                    _check_size(raw)
                    call = Call(
                        principal=principal,
                        body=parse_body(request, raw) if request else None,
                        query=parse_query(query, current.query_params) if query else None,
                        client_address=client_address(current.context),
                    )
                    key = current.headers.get("idempotency-key") if idempotent else None
                    if key is None:
                        return _respond(status, handler(call, **params))
                    from chalicelib.api import idempotency
                    from chalicelib.wiring import settings

                    return idempotency.once(
                        principal.organization_id or principal.user_id,
                        ":".join([handler.__name__, *params.values()]).replace("#", "_"),
                        idempotency.check_key(key),
                        raw,
                        settings().idempotency_ttl_seconds,
                        lambda: _respond(status, handler(call, **params)),
                    )
            except DomainError as error:
                if error.status >= 500:
                    log.warning("dependency failure on %s %s: %s", method, path, error.message)
                return error_response(error)
            except Exception:
                log.exception("unhandled error on %s %s", method, path)
                return error_response(DomainError("Something went wrong on our side; it has been logged."))
            finally:
                REQUEST_ORIGIN.reset(origin)

        # A body must be JSON (else 415 in the error shape); a request without one may say anything.
        bp.route(path, methods=[method], content_types=[JSON] if request else ["*/*"])(view)
        return view

    return wrap
