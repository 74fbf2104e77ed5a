"""Linode's error answers → the port's errors. Messages carry Linode's reasons, never the API key.

5xx, 408, timeouts and refused connections are ProviderUnavailable (retry); 429 too, with `retry_after` from
Retry-After; 401/403 ProviderAuthFailed; any other 4xx ProviderRejected with Linode's first `field`.
Linode answers `{"errors": [{"reason": "...", "field": "..."}]}`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

from chalicelib.domain.shared.errors import DomainError
from chalicelib.domain.vps.ports import ProviderAuthFailed, ProviderRejected, ProviderUnavailable

MAX_REASON = 200  # a reason is Linode's text: kept short in our messages


def reasons(body: object) -> list[tuple[str, str | None]]:
    """(reason, field) pairs of a Linode error body; [] when it has none."""
    errors = body.get("errors") if isinstance(body, Mapping) else None
    found: list[tuple[str, str | None]] = []
    for item in errors if isinstance(errors, list) else []:
        if isinstance(item, Mapping):
            reason = str(item.get("reason") or "").strip()[:MAX_REASON]
            field = item.get("field")
            found.append((reason, str(field) if field else None))
    return found


def retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Retry-After as seconds: delta-seconds or an HTTP date; None when absent or unreadable."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def _describe(found: list[tuple[str, str | None]]) -> str:
    return "; ".join(f"{field}: {reason}" if field else reason for reason, field in found if reason)


def from_answer(status: int, body: object, headers: Mapping[str, str] | None = None) -> DomainError:
    """The port's error for one Linode error answer (`status` ≥ 400)."""
    found = reasons(body)
    said = _describe(found)
    field = next((f for _, f in found if f), None)
    if status == 429:
        wait = retry_after((headers or {}).get("Retry-After"))
        return ProviderUnavailable(
            "Linode is rate limiting our requests (429); retry later.", retry_after=wait
        )
    if status >= 500 or status == 408:
        return ProviderUnavailable(f"Linode answered {status}{': ' + said if said else ''}; retry later.")
    if status in (401, 403):
        what = "was refused" if status == 401 else "lacks the permission for this request"
        return ProviderAuthFailed(
            f"The Linode API key {what} ({status}{': ' + said if said else ''}).", status=status, field=field
        )
    return ProviderRejected(
        f"Linode refused the request ({status}): {said or 'no reason given'}.", status=status, field=field
    )


def translate(exc: BaseException) -> DomainError:
    """The port's error for whatever the SDK or its HTTP layer raised."""
    import requests
    from linode_api4.errors import ApiError

    if isinstance(exc, ApiError):
        response: Any = exc.response
        headers = dict(response.headers) if response is not None else {}
        return from_answer(int(exc.status), exc.json, headers)
    if isinstance(exc, requests.exceptions.Timeout):
        return ProviderUnavailable("Linode did not answer in time; retry later.")
    if isinstance(exc, requests.exceptions.RequestException):
        return ProviderUnavailable(f"Linode could not be reached ({type(exc).__name__}); retry later.")
    return ProviderUnavailable(f"Linode answered something unexpected ({type(exc).__name__}); retry later.")
