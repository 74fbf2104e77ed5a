"""Team and project services over in-memory fakes, a recording mailer and audit trail, a movable clock."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.domain.accounts.entities import Membership
from chalicelib.domain.shared.principal import Principal
from chalicelib.domain.shared.roles import OrgRole
from chalicelib.domain.teams.entities import InviteToken
from chalicelib.domain.teams.projects import ProjectService
from chalicelib.domain.teams.service import TeamService
from tests.contract.builders import new_account
from tests.fakes.accounts import FakeAccounts
from tests.fakes.teams import FakeTeams, RecordingAudit, RecordingMailer

INVITE_TTL = timedelta(days=7)
PUBLIC_URL = "https://cs.example.test"


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@dataclass
class Person:
    user_id: str
    email: str
    own_org: str


@dataclass
class World:
    team: TeamService
    projects: ProjectService
    accounts: FakeAccounts
    store: FakeTeams
    mailer: RecordingMailer
    audit: RecordingAudit
    clock: Clock
    org: str  # Olivia's organization
    olivia: Person  # its owner

    def person(self, name: str) -> Person:
        account = new_account(email=f"{name.lower()}@example.com", name=name)
        self.accounts.create_account(account)
        return Person(account.user.id, account.user.email, account.organization.id)

    def member(self, name: str, role: OrgRole, project_ids: tuple[str, ...] | None = None) -> Person:
        """Someone who is already in Olivia's organization with `role`."""
        someone = self.person(name)
        self.accounts.members[someone.user_id].append(
            Membership(self.org, "Olivia's organization", someone.user_id, role, project_ids)
        )
        return someone

    def acting(self, who: Person, org: str | None = None) -> Principal:
        """`who` acting in `org` (Olivia's by default) with their role there."""
        org_id = org or self.org
        found = self.store.get_member(org_id, who.user_id)
        assert found is not None, f"{who.email} is not a member of {org_id}"
        return Principal(
            user_id=who.user_id,
            role="user",
            token_id="t",
            token_expires=0,
            organization_id=org_id,
            organization_role=found.role,
            project_ids=frozenset(found.project_ids) if found.project_ids is not None else None,
        )

    def signed_in(self, who: Person) -> Principal:
        """`who` on a route that acts in no organization (invitation links)."""
        return replace(self.acting(who, who.own_org), organization_id="", organization_role=None)

    def role_of(self, who: Person) -> str | None:
        found = self.store.get_member(self.org, who.user_id)
        return found.role if found else None


@pytest.fixture
def world() -> World:
    clock = Clock()
    accounts = FakeAccounts()
    store = FakeTeams(accounts)
    mailer, audit = RecordingMailer(), RecordingAudit()
    secrets = iter(f"{n:064x}" for n in range(1000))
    team = TeamService(
        store,
        store,
        store,
        accounts,
        mailer,
        audit,
        invite_ttl=INVITE_TTL,
        public_url=PUBLIC_URL,
        clock=clock,
        new_secret=lambda: next(secrets),
    )
    owner = new_account(email="olivia@example.com", name="Olivia")
    accounts.create_account(owner)
    return World(
        team=team,
        projects=ProjectService(store, audit, clock=clock),
        accounts=accounts,
        store=store,
        mailer=mailer,
        audit=audit,
        clock=clock,
        org=owner.organization.id,
        olivia=Person(owner.user.id, owner.user.email, owner.organization.id),
    )


def token_of(link: str) -> InviteToken:
    parsed = InviteToken.parse(link.rsplit("/", 1)[1])
    assert parsed is not None
    return parsed
