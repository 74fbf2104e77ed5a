"""Audit: the trail (store + actor emails), the service every capability records to through events.py."""

from __future__ import annotations

from chalicelib.domain.audit.service import AuditService
from chalicelib.wiring import component, settings


@component
def get_audit() -> AuditService:
    from chalicelib.store.audit.repository import AuditRepository, UserEmails

    settings()
    return AuditService(AuditRepository(), UserEmails())
