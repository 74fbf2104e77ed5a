"""The audit trail: an organization's own (its owners) and everything (platform admins), as pages or CSV.

There are no routes that change or remove an entry: the trail is append-only.
"""

from __future__ import annotations

from chalice.app import Blueprint, Response

from chalicelib.api.audit.schemas import (
    AdminAuditFilterIn,
    AdminAuditPageIn,
    AuditEntryOut,
    AuditFilterIn,
    AuditPageIn,
    AuditPageOut,
)
from chalicelib.api.http import Call, endpoint
from chalicelib.domain.audit.entities import AuditEntry, Export
from chalicelib.domain.shared.paging import Page
from chalicelib.domain.shared.roles import MANAGE
from chalicelib.wiring.audit import get_audit

bp = Blueprint(__name__)
CSV = "text/csv; charset=utf-8"


def _page(page: Page[AuditEntry]) -> AuditPageOut:
    return AuditPageOut(entries=[AuditEntryOut.of(e) for e in page.items], next_cursor=page.next_cursor)


def _csv(export: Export, name: str) -> Response:
    headers: dict[str, str | list[str]] = {
        "Content-Type": CSV,
        "Content-Disposition": f'attachment; filename="{name}.csv"',
    }
    if export.next_cursor:  # more than one download holds: ask again with ?cursor=<this>
        headers["X-Next-Cursor"] = export.next_cursor
    return Response(body=export.text, status_code=200, headers=headers)


@endpoint(
    bp,
    "/api/audit",
    "GET",
    summary="The organization's audit trail, newest first (its owners only)",
    tag="audit",
    query=AuditPageIn,
    response=AuditPageOut,
    errors=(403,),
    roles=MANAGE,
)
def list_audit(call: Call) -> AuditPageOut:
    q: AuditPageIn = call.query
    return _page(get_audit().organization_trail(call.principal, q.to_domain(), q.limit, q.cursor))


@endpoint(
    bp,
    "/api/audit/export",
    "GET",
    summary="The organization's audit trail as CSV (up to 5000 rows; X-Next-Cursor continues it)",
    tag="audit",
    query=AuditFilterIn,
    errors=(403,),
    roles=MANAGE,
)
def export_audit(call: Call) -> Response:
    q: AuditFilterIn = call.query
    return _csv(get_audit().export_organization(call.principal, q.to_domain(), q.cursor), "audit")


@endpoint(
    bp,
    "/api/admin/audit",
    "GET",
    summary="Every audit entry, newest first (default: the last 30 days)",
    tag="admin",
    auth="admin",
    query=AdminAuditPageIn,
    response=AuditPageOut,
)
def list_admin_audit(call: Call) -> AuditPageOut:
    q: AdminAuditPageIn = call.query
    query = q.to_domain(q.organization_id)
    return _page(get_audit().platform_trail(call.principal, query, q.limit, q.cursor))


@endpoint(
    bp,
    "/api/admin/audit/export",
    "GET",
    summary="Every audit entry as CSV (up to 5000 rows; X-Next-Cursor continues it)",
    tag="admin",
    auth="admin",
    query=AdminAuditFilterIn,
)
def export_admin_audit(call: Call) -> Response:
    q: AdminAuditFilterIn = call.query
    return _csv(
        get_audit().export_platform(call.principal, q.to_domain(q.organization_id), q.cursor), "audit-all"
    )
