"""Opaque pagination cursors: a Query's LastEvaluatedKey, url-safe base64, bound to one partition."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from chalicelib.domain.shared.errors import ValidationFailed


def encode_cursor(lek: dict[str, Any] | None) -> str | None:
    if not lek:
        return None
    return base64.urlsafe_b64encode(json.dumps(lek, separators=(",", ":")).encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None, partition: str) -> dict[str, Any] | None:
    """The LastEvaluatedKey in `cursor`; ValidationFailed (400, field `cursor`) for anything not made
    by encode_cursor for this same partition."""
    if not cursor:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        lek = json.loads(base64.urlsafe_b64decode(padded.encode()))
        valid = (
            isinstance(lek, dict)
            and lek.get("pk") == {"S": partition}
            and all(
                isinstance(value, dict) and len(value) == 1 and isinstance(value.get("S"), str)
                for value in lek.values()
            )
        )
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError, RecursionError) as exc:
        raise ValidationFailed("The cursor is not valid.", details={"field": "cursor"}) from exc
    if not valid:
        raise ValidationFailed("The cursor is not valid.", details={"field": "cursor"})
    return dict(lek)
