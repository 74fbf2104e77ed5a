"""Teams: members and invitations (mailed by the SMTP mailer), projects; both report to the audit trail."""

from __future__ import annotations

from datetime import timedelta

from chalicelib.domain.teams.projects import ProjectService
from chalicelib.domain.teams.service import TeamService
from chalicelib.wiring import component, settings
from chalicelib.wiring.events import audit_trail


@component
def get_team() -> TeamService:
    from chalicelib.store.accounts.repository import AccountRepository
    from chalicelib.store.teams.invites import InviteRepository
    from chalicelib.store.teams.members import MemberRepository
    from chalicelib.store.teams.projects import ProjectRepository
    from chalicelib.wiring.billing import mailer

    current = settings()
    return TeamService(
        MemberRepository(),
        InviteRepository(),
        ProjectRepository(),
        AccountRepository(),
        mailer(),
        audit_trail(),
        invite_ttl=timedelta(seconds=current.invite_ttl_seconds),
        public_url=current.billing.public_url,
    )


@component
def get_projects() -> ProjectService:
    from chalicelib.store.teams.projects import ProjectRepository

    settings()
    return ProjectService(ProjectRepository(), audit_trail())
