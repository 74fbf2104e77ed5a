"""Responses the framework produces itself, rewritten into the one error shape."""

from __future__ import annotations

import json
import re

from chalice.app import Response

from chalicelib.api.http import error_response
from chalicelib.domain.shared.errors import DomainError, NotFound

_CODES = {
    "MethodNotAllowedError": (405, "method_not_allowed", "This route does not take that HTTP method."),
    "UnsupportedMediaType": (415, "unsupported_media_type", "Send the request body as application/json."),
    "BadRequestError": (400, "validation_error", "The request is not valid."),
    "BadRequest": (400, "validation_error", "The request is not valid."),
    "RequestEntityTooLarge": (413, "payload_too_large", "The request body is too large."),
    "InternalServerError": (500, "internal_error", "Something went wrong on our side; it has been logged."),
}


class FrameworkError(DomainError):
    """An error raised by Chalice or the gateway before any route ran."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code


def framework_error(response: Response) -> Response:
    """Chalice's own {"Code", "Message"} errors become {"error": {"code", "message"}}; others pass."""
    body = response.body
    if response.status_code < 400 or not isinstance(body, dict) or "Code" not in body:
        return response
    status, code, message = _CODES.get(
        str(body["Code"]),
        (response.status_code, _snake(str(body["Code"])), str(body.get("Message") or "The request failed.")),
    )
    rewritten = error_response(FrameworkError(response.status_code or status, code, message))
    for name in ("Allow", "allow"):
        if name in response.headers:
            rewritten.headers["Allow"] = response.headers[name]
    return rewritten


def unknown_route_response() -> Response:
    return error_response(NotFound("There is no such API route."))


def json_error(status: int, code: str, message: str) -> bytes:
    """The error shape as bytes, for servers that answer before the app (the local HTTP server)."""
    return json.dumps({"error": {"code": code, "message": message}}).encode()


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name.removesuffix("Error")).lower() or "error"
